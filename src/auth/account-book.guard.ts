import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../common/problem.js';
import type { AuthedRequest } from './api-key.guard.js';
import { bookScopeOf, inBook, isScoped } from './book-scope.js';

/**
 * On routes about one account (`:externalId`): an owned csm/sales key may only reach accounts
 * of its own book, judged by the account's latest version. Anything else answers 404, as for
 * an account that does not exist, so a key cannot learn which ids exist outside its book.
 * Runs after the API key guard (global guards first).
 */
@Injectable()
export class AccountBookGuard implements CanActivate {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const scope = bookScopeOf(request.caller);
    const externalId = request.params?.externalId;
    if (!isScoped(scope) || typeof externalId !== 'string') return true;
    const rows: Array<{ csm_owner: string | null; sales_owner: string | null }> = await this.db.query(
      // The account as of today, as GET /v1/accounts/{externalId} shows it (account_version_at: docs/architecture.md).
      `SELECT v.csm_owner, v.sales_owner FROM accounts a JOIN LATERAL account_version_at(a.id, current_date) v ON true
       WHERE a.external_id = $1`,
      [externalId],
    );
    // An unknown account is left to the route, which answers its own 404.
    if (rows.length === 0 || inBook(scope, { csmOwner: rows[0]!.csm_owner, salesOwner: rows[0]!.sales_owner })) return true;
    throw notFound(`No account ${externalId}`);
  }
}
