import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
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
    if (!(await this.keys.revoke(id))) throw notFound(`No active API key ${id}`);
  }

  async authenticate(key: string): Promise<Caller | null> {
    const admin = this.env.ADMIN_API_KEY;
    if (admin && key.length === admin.length && timingSafeEqual(Buffer.from(key), Buffer.from(admin))) {
      return { keyId: null, name: 'admin (ADMIN_API_KEY)', role: 'admin', owner: null };
    }
    const found = await this.keys.activeByHash(hash(key));
    return found ? { keyId: found.id, name: found.name, role: found.role, owner: found.owner } : null;
  }
}
