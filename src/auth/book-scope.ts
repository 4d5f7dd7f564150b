import type { Caller } from './api-keys.service.js';

/**
 * The accounts a key may see. An owned csm key sees the accounts whose CSM owner is the key's
 * owner, an owned sales key those whose sales owner is; every other key (unowned, revops,
 * ingest, admin) is not narrowed. Owners compare case-insensitively (keys store them lower-cased).
 */
export interface BookScope {
  csmOwner?: string;
  salesOwner?: string;
}

export function bookScopeOf(caller: Caller | undefined): BookScope {
  if (!caller?.owner) return {};
  if (caller.role === 'csm') return { csmOwner: caller.owner };
  if (caller.role === 'sales') return { salesOwner: caller.owner };
  return {};
}

export const isScoped = (scope: BookScope) => scope.csmOwner !== undefined || scope.salesOwner !== undefined;

const same = (a: string | null | undefined, b: string) => typeof a === 'string' && a.toLowerCase() === b;

/** Whether an account with these owners is in the scope's book. */
export function inBook(scope: BookScope, owners: { csmOwner: string | null; salesOwner: string | null }): boolean {
  if (scope.csmOwner !== undefined && !same(owners.csmOwner, scope.csmOwner)) return false;
  if (scope.salesOwner !== undefined && !same(owners.salesOwner, scope.salesOwner)) return false;
  return true;
}

/** The person an owned csm/sales key acts for (alerts and digests are addressed to people). */
export function personOf(caller: Caller | undefined): string | null {
  return caller?.owner && (caller.role === 'csm' || caller.role === 'sales') ? caller.owner : null;
}
