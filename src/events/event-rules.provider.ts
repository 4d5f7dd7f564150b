import { Injectable } from '@nestjs/common';
import { ConfigVersionsService } from '../config-versions/config-versions.service.js';
import { compileEventRules, EMPTY_EVENTS_CONFIG, type EventRules, type EventsConfig } from './domain/event-rules.js';

const TTL_MS = 2_000;

/**
 * The active config's `events` section, compiled. Cached for a moment: the intake asks on every
 * request, and a config change reaching the next second's requests is soon enough.
 */
@Injectable()
export class EventRulesProvider {
  private cached: { at: number; version: number; config: EventsConfig; rules: EventRules } | null = null;

  constructor(private readonly configs: ConfigVersionsService) {}

  async current(fresh = false): Promise<{ config: EventsConfig; rules: EventRules }> {
    if (!fresh && this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached;
    const active = await this.configs.active();
    if (this.cached && this.cached.version === active.version) {
      this.cached.at = Date.now();
      return this.cached;
    }
    const config = (active.config as { events?: EventsConfig }).events ?? EMPTY_EVENTS_CONFIG;
    this.cached = { at: Date.now(), version: active.version, config, rules: compileEventRules(config) };
    return this.cached;
  }
}
