import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../common/problem.js';
import { ApiKeysService, type Caller } from './api-keys.service.js';
import { PUBLIC_KEY, ROLES_KEY, WRITE_KEY_AUTH } from './roles.decorator.js';
import type { Role } from './roles.js';

export type AuthedRequest = Request & { caller?: Caller };

/** Global guard: every route needs a Bearer key whose role the route allows, unless marked @Public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const writeKey = this.reflector.getAllAndOverride<boolean>(WRITE_KEY_AUTH, targets) ?? false;
    const key = bearerKey(request.headers.authorization) ?? (writeKey ? basicUserKey(request.headers.authorization) : null);
    if (!key) {
      const how = writeKey ? '"Authorization: Bearer <key>" or as the Basic auth user name (a Segment write key)' : '"Authorization: Bearer <key>"';
      throw new ProblemException(401, `Send an API key as ${how}`, { type: '/problems/unauthenticated' });
    }
    const caller = await this.keys.authenticate(key);
    if (!caller) throw new ProblemException(401, 'The API key is unknown or revoked', { type: '/problems/unauthenticated' });
    request.caller = caller;

    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (caller.role === 'admin' || allowed.includes(caller.role)) return true;
    throw new ProblemException(403, `A ${caller.role} key may not call this endpoint; it needs one of: admin${allowed.map((r) => `, ${r}`).join('')}`, {
      type: '/problems/forbidden',
    });
  }
}

function bearerKey(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? null;
}

/** `Basic base64(key:)`: the key is the user name; a client that puts it in the password instead is accepted too. */
function basicUserKey(header: string | undefined): string | null {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return user || password || null;
}
