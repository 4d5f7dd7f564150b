import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { ConfigVersionsRepository, type ConfigVersion } from './config-versions.repository.js';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { parseScoringConfig } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import { LRUCache } from 'lru-cache';

export type { ConfigVersion };

export type ConfigVersionSummary = Omit<ConfigVersion, 'config'> & { active: boolean };

export type ReplaceResult =
  | { outcome: 'created' | 'unchanged'; version: ConfigVersion; previous: ConfigVersion | null }
  /** If-Match named another checksum: someone changed the config since the caller read it. */
  | { outcome: 'stale'; active: ConfigVersion | null };

export type ConfigActivatedListener = (version: ConfigVersion) => Promise<void> | void;

/** Stored versions a process keeps in memory (see get): a few KB each. */
const RECENT_VERSIONS = 32;

export class ScoringConfigFileError extends Error {
  override name = 'ScoringConfigFileError';
}

/**
 * Scoring config versions. The active version is the newest one. At start the file named by
 * SCORING_CONFIG is compared with the last version that came from the file: when it changed
 * (or nothing is stored yet) it becomes a new active version; an unchanged file never
 * overrides versions set since through the API.
 */
@Injectable()
export class ConfigVersionsService implements OnModuleInit {
  private readonly logger = new Logger(ConfigVersionsService.name);
  private readonly listeners: ConfigActivatedListener[] = [];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly versions: ConfigVersionsRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.seedFromFile();
  }

  async seedFromFile(): Promise<ConfigVersion | null> {
    const file = path.resolve(this.env.SCORING_CONFIG);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new ScoringConfigFileError(`Cannot read the scoring config ${file} (SCORING_CONFIG): ${error.code ?? error.message}`);
    });
    const parsed = parseScoringConfig(text, file.endsWith('.json') ? 'json' : 'yaml');
    if (!parsed.ok) {
      const lines = parsed.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n');
      throw new ScoringConfigFileError(`The scoring config ${file} is invalid:\n${lines}`);
    }
    return this.db.transaction(async (tx) => {
      await this.versions.lockActivation(tx);
      const lastFromFile = await this.versions.lastFromFileChecksum(tx);
      if (lastFromFile === parsed.checksum) return null;
      const version = await this.versions.insert(tx, {
        checksum: parsed.checksum,
        config: parsed.config,
        source: 'file',
        author: `file:${this.env.SCORING_CONFIG}`,
        comment: lastFromFile !== null ? 'file changed' : 'initial version from file',
      });
      this.logger.log(`scoring config version ${version.version} loaded from ${file} (checksum ${parsed.checksum.slice(0, 12)})`);
      return version;
    });
  }

  async active(): Promise<ConfigVersion> {
    const active = await this.versions.active();
    if (!active) throw new Error('No scoring config version is stored; the service seeds one from SCORING_CONFIG at start');
    return active;
  }

  /**
   * A stored version. Versions never change once stored, so each process keeps the last few it
   * read: an account's health reads the version its score was computed with on every request.
   * The object is shared between callers: read it, never change it.
   */
  async get(version: number): Promise<ConfigVersion | null> {
    const cached = this.recentVersions.get(version);
    if (cached) return cached;
    const found = await this.versions.get(version);
    if (found) this.recentVersions.set(version, found);
    return found;
  }

  private readonly recentVersions = new LRUCache<number, ConfigVersion>({ max: RECENT_VERSIONS });

  /** Stores an already validated config as the new active version. */
  activate(config: ScoringConfig, checksum: string, source: 'api' | 'cli', author: string, comment: string | null): Promise<ConfigVersion> {
    return this.versions.insert(this.db, { checksum, config, source, author, comment });
  }

  /**
   * Makes a validated config the active version unless that would lose an update or change nothing:
   * `ifMatch` (checksums from an If-Match header, or '*') must name the active version's checksum,
   * and a config equal to the active one answers that version instead of storing a duplicate.
   * Serialised with file seeding by the same lock, so "the active version" cannot move in between.
   */
  async replace(
    candidate: { config: ScoringConfig; checksum: string },
    options: { source: 'api' | 'cli'; author: string; comment: string | null; ifMatch?: readonly string[] },
  ): Promise<ReplaceResult> {
    const result = await this.db.transaction(async (tx): Promise<ReplaceResult> => {
      await this.versions.lockActivation(tx);
      const active = await this.versions.active(tx);
      if (options.ifMatch !== undefined && !options.ifMatch.includes('*') && !options.ifMatch.includes(active?.checksum ?? '')) {
        return { outcome: 'stale', active };
      }
      if (active?.checksum === candidate.checksum) return { outcome: 'unchanged', version: active, previous: active };
      const version = await this.versions.insert(tx, { ...candidate, source: options.source, author: options.author, comment: options.comment });
      return { outcome: 'created', version, previous: active };
    });
    if (result.outcome === 'created') {
      this.logger.log(
        `scoring config version ${result.version.version} activated by ${options.author} via ${options.source} (checksum ${result.version.checksum.slice(0, 12)})`,
      );
      for (const listener of this.listeners) {
        await Promise.resolve(listener(result.version)).catch((error: unknown) =>
          this.logger.error({ err: error }, `after-activation step failed for config version ${result.version.version}`),
        );
      }
    }
    return result;
  }

  /**
   * Called after `replace` stores a new version (not for file seeding at start, which happens
   * before anything could listen). The scheduler can re-read `schedule` here instead of at start only.
   */
  onActivated(listener: ConfigActivatedListener): void {
    this.listeners.push(listener);
  }

  /** History without bodies, newest first; `beforeVersion` is the keyset cursor. */
  async page(limit: number, beforeVersion?: number): Promise<{ items: ConfigVersionSummary[]; hasMore: boolean; activeVersion: number | null }> {
    const rows = await this.versions.page(limit + 1, beforeVersion);
    const activeVersion = await this.versions.activeVersion();
    return {
      items: rows.slice(0, limit).map((view) => ({ ...view, active: view.version === activeVersion })),
      hasMore: rows.length > limit,
      activeVersion,
    };
  }

  list(): Promise<Array<Omit<ConfigVersion, 'config'>>> {
    return this.versions.all();
  }
}
