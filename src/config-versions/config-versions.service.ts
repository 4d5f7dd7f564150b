import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { parseScoringConfig } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';

export interface ConfigVersion {
  version: number;
  checksum: string;
  config: ScoringConfig;
  source: 'file' | 'api' | 'cli';
  author: string;
  comment: string | null;
  createdAt: string;
}

export type ConfigVersionSummary = Omit<ConfigVersion, 'config'> & { active: boolean };

export type ReplaceResult =
  | { outcome: 'created' | 'unchanged'; version: ConfigVersion; previous: ConfigVersion | null }
  /** If-Match named another checksum: someone changed the config since the caller read it. */
  | { outcome: 'stale'; active: ConfigVersion | null };

export type ConfigActivatedListener = (version: ConfigVersion) => Promise<void> | void;

interface ConfigVersionRow {
  version: number;
  checksum: string;
  config: ScoringConfig;
  source: ConfigVersion['source'];
  author: string;
  comment: string | null;
  created_at: Date;
}

const toVersion = (row: ConfigVersionRow): ConfigVersion => ({
  version: row.version,
  checksum: row.checksum,
  config: row.config,
  source: row.source,
  author: row.author,
  comment: row.comment,
  createdAt: row.created_at.toISOString(),
});

// Same value in every process: seeding from the file happens once however many start together.
const SEED_LOCK = 7_421_002;

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
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      const [lastFromFile]: Array<{ checksum: string }> = await tx.query(
        `SELECT checksum FROM config_versions WHERE source = 'file' ORDER BY version DESC LIMIT 1`,
      );
      if (lastFromFile?.checksum === parsed.checksum) return null;
      const [row]: ConfigVersionRow[] = await tx.query(
        `INSERT INTO config_versions (checksum, config, source, author, comment)
         VALUES ($1, $2, 'file', $3, $4) RETURNING *`,
        [parsed.checksum, JSON.stringify(parsed.config), `file:${this.env.SCORING_CONFIG}`, lastFromFile ? 'file changed' : 'initial version from file'],
      );
      this.logger.log(`scoring config version ${row!.version} loaded from ${file} (checksum ${parsed.checksum.slice(0, 12)})`);
      return toVersion(row!);
    });
  }

  async active(): Promise<ConfigVersion> {
    const [row]: ConfigVersionRow[] = await this.db.query('SELECT * FROM config_versions ORDER BY version DESC LIMIT 1');
    if (!row) throw new Error('No scoring config version is stored; the service seeds one from SCORING_CONFIG at start');
    return toVersion(row);
  }

  async get(version: number): Promise<ConfigVersion | null> {
    const [row]: ConfigVersionRow[] = await this.db.query('SELECT * FROM config_versions WHERE version = $1', [version]);
    return row ? toVersion(row) : null;
  }

  /** Stores an already validated config as the new active version. */
  async activate(config: ScoringConfig, checksum: string, source: 'api' | 'cli', author: string, comment: string | null): Promise<ConfigVersion> {
    const [row]: ConfigVersionRow[] = await this.db.query(
      `INSERT INTO config_versions (checksum, config, source, author, comment) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [checksum, JSON.stringify(config), source, author, comment],
    );
    return toVersion(row!);
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
      await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      const [activeRow]: ConfigVersionRow[] = await tx.query('SELECT * FROM config_versions ORDER BY version DESC LIMIT 1');
      const active = activeRow ? toVersion(activeRow) : null;
      if (options.ifMatch !== undefined && !options.ifMatch.includes('*') && !options.ifMatch.includes(active?.checksum ?? '')) {
        return { outcome: 'stale', active };
      }
      if (active?.checksum === candidate.checksum) return { outcome: 'unchanged', version: active, previous: active };
      const [row]: ConfigVersionRow[] = await tx.query(
        `INSERT INTO config_versions (checksum, config, source, author, comment) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [candidate.checksum, JSON.stringify(candidate.config), options.source, options.author, options.comment],
      );
      return { outcome: 'created', version: toVersion(row!), previous: active };
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
    const rows: ConfigVersionRow[] = await this.db.query(
      `SELECT version, checksum, source, author, comment, created_at, NULL::jsonb AS config FROM config_versions
       ${beforeVersion === undefined ? '' : 'WHERE version < $2'} ORDER BY version DESC LIMIT $1`,
      beforeVersion === undefined ? [limit + 1] : [limit + 1, beforeVersion],
    );
    const [newest]: Array<{ version: number | null }> = await this.db.query('SELECT max(version) AS version FROM config_versions');
    const activeVersion = newest?.version ?? null;
    return {
      items: rows.slice(0, limit).map((row) => {
        const { config: _config, ...view } = toVersion(row);
        return { ...view, active: view.version === activeVersion };
      }),
      hasMore: rows.length > limit,
      activeVersion,
    };
  }

  async list(): Promise<Array<Omit<ConfigVersion, 'config'>>> {
    const rows: ConfigVersionRow[] = await this.db.query('SELECT * FROM config_versions ORDER BY version DESC');
    return rows.map((row) => {
      const { config: _config, ...view } = toVersion(row);
      return view;
    });
  }
}
