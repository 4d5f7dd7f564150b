import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ProblemException } from '../common/problem.js';
import { ApiKeysService, type Caller } from './api-keys.service.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
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
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new ProblemException(401, 'Send an API key as "Authorization: Bearer <key>"', { type: '/problems/unauthenticated' });
    }
    const caller = await this.keys.authenticate(match[1]!);
    if (!caller) throw new ProblemException(401, 'The API key is unknown or revoked', { type: '/problems/unauthenticated' });
    request.caller = caller;

    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (caller.role === 'admin' || allowed.includes(caller.role)) return true;
    throw new ProblemException(403, `A ${caller.role} key may not call this endpoint; it needs one of: admin${allowed.map((r) => `, ${r}`).join('')}`, {
      type: '/problems/forbidden',
    });
  }
}
