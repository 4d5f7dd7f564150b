import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface UnknownAccountEvents {
  /** The groupId the events name, not (yet) an account's externalId. */
  account: string;
  events: number;
  firstDay: string;
  lastDay: string;
}

export interface UserWithoutAccount {
  userId?: string;
  anonymousId?: string;
  events: number;
  lastEventAt: string | null;
}

export interface UnattributedReport {
  /** Track events counted for no existing account. */
  events: number;
  /** Events for groupIds that are not accounts: counted as soon as an account with that externalId exists. */
  unknownAccounts: { total: number; events: number; items: UnknownAccountEvents[] };
  /** Users with neither a group call nor context.groupId: counted once a group call names their account. */
  usersWithoutAccount: { total: number; events: number; items: UserWithoutAccount[] };
}

@Injectable()
export class UnattributedRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(limit: number): Promise<UnattributedReport> {
    const [accounts, accountTotals, users, userTotals] = await Promise.all([
      this.db.query<Array<{ account: string; events: string; first_day: string; last_day: string }>>(
        `SELECT d.account, sum(d.events)::bigint AS events, to_char(min(d.day), 'YYYY-MM-DD') AS first_day, to_char(max(d.day), 'YYYY-MM-DD') AS last_day
         FROM product_event_account_days d
         WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.external_id = d.account)
         GROUP BY d.account ORDER BY 2 DESC, 1 LIMIT $1`,
        [limit],
      ),
      this.db.query<Array<{ total: string; events: string }>>(
        `SELECT count(DISTINCT d.account)::bigint AS total, coalesce(sum(d.events), 0)::bigint AS events
         FROM product_event_account_days d
         WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.external_id = d.account)`,
      ),
      this.db.query<Array<{ identity: string; track_events: string; last_event_at: Date | null }>>(
        `SELECT identity, track_events, last_event_at FROM product_event_identities
         WHERE account IS NULL AND track_events > 0 ORDER BY track_events DESC, identity LIMIT $1`,
        [limit],
      ),
      this.db.query<Array<{ total: string; events: string }>>(
        `SELECT count(*)::bigint AS total, coalesce(sum(track_events), 0)::bigint AS events
         FROM product_event_identities WHERE account IS NULL AND track_events > 0`,
      ),
    ]);
    const accountEvents = Number(accountTotals[0]!.events);
    const userEvents = Number(userTotals[0]!.events);
    return {
      events: accountEvents + userEvents,
      unknownAccounts: {
        total: Number(accountTotals[0]!.total),
        events: accountEvents,
        items: accounts.map((row) => ({ account: row.account, events: Number(row.events), firstDay: row.first_day, lastDay: row.last_day })),
      },
      usersWithoutAccount: {
        total: Number(userTotals[0]!.total),
        events: userEvents,
        items: users.map((row) => ({
          ...(row.identity.startsWith('u:') ? { userId: row.identity.slice(2) } : { anonymousId: row.identity.slice(2) }),
          events: Number(row.track_events),
          lastEventAt: row.last_event_at?.toISOString() ?? null,
        })),
      },
    };
  }
}
