import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql/query-rows.js';
import type { Role } from './roles.js';

/** One row of api_keys. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  /** sha256 of the key: the key itself is shown once and never stored. */
  keyHash: string;
  /** E-mail of the person the key belongs to (lower-cased); scopes csm/sales keys to their book. */
  owner: string | null;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  key_hash: string;
  owner: string | null;
  key_prefix: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  role: row.role,
  keyHash: row.key_hash,
  owner: row.owner,
  keyPrefix: row.key_prefix,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** The SQL of api_keys. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(key: Pick<ApiKey, 'name' | 'role' | 'owner' | 'keyHash' | 'keyPrefix'>): Promise<ApiKey> {
    const [row] = await queryRows<ApiKeyRow>(
      this.db,
      'INSERT INTO api_keys (name, role, owner, key_hash, key_prefix) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [key.name, key.role, key.owner, key.keyHash, key.keyPrefix],
    );
    return toApiKey(row!);
  }

  async list(): Promise<ApiKey[]> {
    return (await queryRows<ApiKeyRow>(this.db, 'SELECT * FROM api_keys ORDER BY created_at, id')).map(toApiKey);
  }

  /** False when there is no such key, or it was revoked already. */
  async revoke(id: string): Promise<boolean> {
    const rows = await queryRows(this.db, 'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]);
    return rows.length > 0;
  }

  async activeByHash(keyHash: string): Promise<ApiKey | null> {
    const [row] = await queryRows<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [keyHash]);
    return row ? toApiKey(row) : null;
  }
}
