import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook-event.types.js';

/** The event types some live subscription wants: events of other types are not built at all. */
export async function subscribedEventTypes(tx: EntityManager): Promise<Set<string>> {
  const rows: Array<{ type: string }> = await tx.query('SELECT DISTINCT unnest(events) AS type FROM webhook_subscriptions WHERE deleted_at IS NULL');
  return new Set(rows.map((row) => row.type));
}

/**
 * Writes one outbox row per subscription that wants the event, inside the caller's
 * transaction: the event exists exactly when what caused it was committed. Returns how many
 * deliveries were queued (0 when nobody subscribes).
 */
export async function enqueueEvents(tx: EntityManager, events: readonly WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows: Array<{ n: number }> = await tx.query(
    `WITH events AS (
       SELECT e.value->>'id' AS event_id, e.value->>'type' AS event_type, e.value AS payload
       FROM jsonb_array_elements($1::jsonb) AS e
     ), queued AS (
       INSERT INTO webhook_outbox (event_id, event_type, subscription_id, payload)
       SELECT e.event_id::uuid, e.event_type, s.id, e.payload
       FROM events e JOIN webhook_subscriptions s ON e.event_type = ANY (s.events) AND s.deleted_at IS NULL
       ON CONFLICT (event_id, subscription_id) DO NOTHING
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM queued`,
    [JSON.stringify(events)],
  );
  return rows[0]?.n ?? 0;
}
