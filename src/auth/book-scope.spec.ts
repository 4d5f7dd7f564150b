import { describe, expect, it } from '@jest/globals';
import { bookScopeOf, inBook, personOf } from './book-scope.js';

const caller = (role: 'admin' | 'revops' | 'csm' | 'sales' | 'ingest', owner: string | null) => ({ keyId: 'k', name: 'n', role, owner });

describe('book scope', () => {
  it('narrows owned csm and sales keys to their own accounts only', () => {
    expect(bookScopeOf(caller('csm', 'dana@vendor.example'))).toEqual({ csmOwner: 'dana@vendor.example' });
    expect(bookScopeOf(caller('sales', 'sam@vendor.example'))).toEqual({ salesOwner: 'sam@vendor.example' });
    for (const role of ['admin', 'revops', 'ingest'] as const) expect(bookScopeOf(caller(role, 'x@vendor.example'))).toEqual({});
    expect(bookScopeOf(caller('csm', null))).toEqual({});
    expect(bookScopeOf(undefined)).toEqual({});
  });

  it('matches owners case-insensitively and refuses accounts without that owner', () => {
    const scope = bookScopeOf(caller('csm', 'dana@vendor.example'));
    expect(inBook(scope, { csmOwner: 'Dana@Vendor.example', salesOwner: null })).toBe(true);
    expect(inBook(scope, { csmOwner: 'ann@vendor.example', salesOwner: 'dana@vendor.example' })).toBe(false);
    expect(inBook(scope, { csmOwner: null, salesOwner: null })).toBe(false);
    expect(inBook({}, { csmOwner: null, salesOwner: null })).toBe(true);
  });

  it('names the person only for owned csm and sales keys', () => {
    expect(personOf(caller('csm', 'dana@vendor.example'))).toBe('dana@vendor.example');
    expect(personOf(caller('revops', 'rita@vendor.example'))).toBeNull();
    expect(personOf(caller('sales', null))).toBeNull();
  });
});
