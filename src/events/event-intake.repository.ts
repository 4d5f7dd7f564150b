import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { acquirePgClient } from '../database/pg-client.js';
import type { EventType, ProductEvent } from './domain/segment-message.js';

/**
 * Intake writers hold this lock shared for their one-statement transaction; the roll-up takes it
 * exclusively for an instant to learn the highest seq every committed event is below (a seq is
 * drawn before its transaction commits, so without the barrier a slower writer could commit a
 * lower seq after the roll-up moved past it).
 */
export const INTAKE_BARRIER_LOCK = 7_421_140;

// One statement, so its implicit transaction holds the barrier from before the first seq is
// drawn until commit. Duplicates of a messageId (Segment retries) are skipped by the unique key.
const INSERT_EVENTS_SQL = `
  INSERT INTO product_events (message_id, type, event, event_slug, identity, anonymous_id, group_id, ts, payload)
  SELECT e.message_id, e.type, e.event, e.event_slug, e.identity, e.anonymous_id, e.group_id, e.ts, e.payload
  FROM (SELECT pg_advisory_xact_lock_shared(${INTAKE_BARRIER_LOCK})) AS barrier,
       unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::json[])
         AS e(message_id, type, event, event_slug, identity, anonymous_id, group_id, ts, payload)
  ON CONFLICT (message_id) DO NOTHING
  RETURNING type`;

@Injectable()
export class EventIntakeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the events durably (committed on return); answers how many of each type were new. */
  async append(events: readonly ProductEvent[]): Promise<Record<EventType, number>> {
    const stored = { track: 0, identify: 0, group: 0 };
    if (events.length === 0) return stored;
    const columns: [string[], string[], (string | null)[], (string | null)[], string[], (string | null)[], (string | null)[], string[], string[]] = [[], [], [], [], [], [], [], [], []];
    for (const e of events) {
      columns[0].push(e.messageId);
      columns[1].push(e.type);
      columns[2].push(e.event);
      columns[3].push(e.eventSlug);
      columns[4].push(e.identity);
      columns[5].push(e.anonymousId);
      columns[6].push(e.groupId);
      columns[7].push(e.timestamp);
      columns[8].push(e.payload);
    }
    const { client, release } = await acquirePgClient(this.db);
    try {
      const result = await client.query<{ type: EventType }>(INSERT_EVENTS_SQL, columns);
      for (const row of result.rows) stored[row.type]++;
      return stored;
    } finally {
      release();
    }
  }
}
