import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { notFound } from '../common/problem.js';
import { ENV } from '../config/env.provider.js';
import type { Env } from '../config/env.js';
import { ApiKeysRepository, type ApiKey } from './api-keys.repository.js';
import type { Role } from './roles.js';

export interface Caller {
  keyId: string | null;
  name: string;
  role: Role;
  /** The key owner's e-mail (lower-cased), or null for keys tied to no person. */
  owner: string | null;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * How long a process trusts a key it looked up: every request of a csm, sales or revops key
 * otherwise costs a query before its own (a fifth of a list request's work, README
 * "Performance"). A key revoked through this process stops at once; through another process,
 * within this time (README "Roles").
 */
export const KEY_CACHE_MS = 5_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async create(name: string, role: Role, owner: string | null = null): Promise<{ key: string; record: ApiKey }> {
    const key = `hs_${randomBytes(24).toString('base64url')}`;
    const record = await this.keys.insert({ name, role, owner: owner?.toLowerCase() ?? null, keyHash: hash(key), keyPrefix: key.slice(0, 7) });
    return { key, record };
  }

  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  async revoke(id: string): Promise<void> {
    const revoked = await this.keys.revoke(id);
    this.known.clear(); // revocations are rare: forget every key rather than look for this one
    if (!revoked) throw notFound(`No active API key ${id}`);
  }

  /** Keys found active in the last KEY_CACHE_MS, by hash (unknown keys are not kept: a flood of them cannot evict the real ones). */
  private readonly known = new LRUCache<string, Caller>({ max: 10_000, ttl: KEY_CACHE_MS });

  async authenticate(key: string): Promise<Caller | null> {
    const admin = this.env.ADMIN_API_KEY;
    if (admin && key.length === admin.length && timingSafeEqual(Buffer.from(key), Buffer.from(admin))) {
      return { keyId: null, name: 'admin (ADMIN_API_KEY)', role: 'admin', owner: null };
    }
    const keyHash = hash(key);
    const known = this.known.get(keyHash);
    if (known) return known;
    const found = await this.keys.activeByHash(keyHash);
    if (!found) return null;
    const caller: Caller = Object.freeze({ keyId: found.id, name: found.name, role: found.role, owner: found.owner });
    this.known.set(keyHash, caller);
    return caller;
  }
}
