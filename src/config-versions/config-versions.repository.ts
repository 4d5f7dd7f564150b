import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import { SqlFilter } from '../database/sql/sql-filter.js';
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

// Same value in every process: seeding from the file and replacing the active version queue behind each other.
const ACTIVATION_LOCK = 7_421_002;

type On = DataSource | EntityManager;

/** The SQL of config_versions. The active version is the newest one. */
@Injectable()
export class ConfigVersionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Inside a transaction: no other process changes the active version until it ends. */
  async lockActivation(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ACTIVATION_LOCK]);
  }

  async lastFromFileChecksum(on: On): Promise<string | null> {
    const [row] = await queryRows<{ checksum: string }>(on, `SELECT checksum FROM config_versions WHERE source = 'file' ORDER BY version DESC LIMIT 1`);
    return row?.checksum ?? null;
  }

  async insert(on: On, version: Pick<ConfigVersion, 'checksum' | 'config' | 'source' | 'author' | 'comment'>): Promise<ConfigVersion> {
    const [row] = await queryRows<ConfigVersionRow>(
      on,
      `INSERT INTO config_versions (checksum, config, source, author, comment) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [version.checksum, JSON.stringify(version.config), version.source, version.author, version.comment],
    );
    return toVersion(row!);
  }

  async active(on: On = this.db): Promise<ConfigVersion | null> {
    const [row] = await queryRows<ConfigVersionRow>(on, 'SELECT * FROM config_versions ORDER BY version DESC LIMIT 1');
    return row ? toVersion(row) : null;
  }

  async get(version: number): Promise<ConfigVersion | null> {
    const [row] = await queryRows<ConfigVersionRow>(this.db, 'SELECT * FROM config_versions WHERE version = $1', [version]);
    return row ? toVersion(row) : null;
  }

  /** Newest first, without bodies, before the version given. */
  async page(limit: number, beforeVersion: number | undefined): Promise<Array<Omit<ConfigVersion, 'config'>>> {
    const filter = new SqlFilter().where('version < ?', beforeVersion);
    const rows = await queryRows<ConfigVersionRow>(
      this.db,
      `SELECT version, checksum, source, author, comment, created_at, NULL::jsonb AS config FROM config_versions
       ${filter.clause} ORDER BY version DESC LIMIT ${filter.param(limit)}`,
      filter.params,
    );
    return rows.map(withoutConfig);
  }

  async activeVersion(): Promise<number | null> {
    const [row] = await queryRows<{ version: number | null }>(this.db, 'SELECT max(version) AS version FROM config_versions');
    return row?.version ?? null;
  }

  async all(): Promise<Array<Omit<ConfigVersion, 'config'>>> {
    return (await queryRows<ConfigVersionRow>(this.db, 'SELECT * FROM config_versions ORDER BY version DESC')).map(withoutConfig);
  }
}

function withoutConfig(row: ConfigVersionRow): Omit<ConfigVersion, 'config'> {
  const { config: _config, ...view } = toVersion(row);
  return view;
}
