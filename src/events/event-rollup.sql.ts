/*
 * SQL of the events roll-up: one chunk of new events (seq in ($lo, $hi]) per transaction, all
 * set-based. Temp tables live for the chunk's transaction only. README "Product events" explains
 * the attribution rules these statements implement.
 *
 * Two ways a cell (account, day) changes:
 *   - new track events add to it (counts add, users join the day's user set);
 *   - a user's account changes (a group call, or an anonymous id joining a user): every cell that
 *     user's earlier events touched, under the old and the new account, is recomputed from the
 *     stored events with seq <= $hi. Later events arrive as additions in later chunks, so each
 *     event is counted exactly once whatever the order of commits and crashes.
 */

/** The chunk. Parameters: lo, hi, time zone. */
export const CHUNK_SQL = `
  CREATE TEMP TABLE ru_new ON COMMIT DROP AS
  SELECT seq, type, event, event_slug, identity, anonymous_id, group_id, ts, (ts AT TIME ZONE $3)::date AS day
  FROM product_events WHERE seq > $1 AND seq <= $2`;

/** Every user and anonymous id seen gets a row, its own cluster until linked. */
export const NEW_IDENTITIES_SQL = `
  INSERT INTO product_event_identities (identity, cluster)
  SELECT x.i, x.i FROM (
    SELECT identity AS i FROM ru_new
    UNION SELECT 'a:' || anonymous_id FROM ru_new WHERE anonymous_id IS NOT NULL
  ) x
  ORDER BY 1
  ON CONFLICT (identity) DO NOTHING`;

/**
 * An event with both ids links the anonymous id to the user (the first user it is seen with).
 * Only links that are new: browser SDKs send both ids on every event of a signed-in user.
 */
export const LINKS_SQL = `
  CREATE TEMP TABLE ru_links ON COMMIT DROP AS
  SELECT DISTINCT ON (n.anonymous_id) 'a:' || n.anonymous_id AS identity, n.identity AS cluster
  FROM ru_new n
  JOIN product_event_identities i ON i.identity = 'a:' || n.anonymous_id AND i.cluster = i.identity
  WHERE n.identity LIKE 'u:%' AND n.anonymous_id IS NOT NULL
  ORDER BY n.anonymous_id, n.seq`;

/** Ids whose account may change in this chunk, with the account they had before it. */
export const TOUCHED_SQL = `
  CREATE TEMP TABLE ru_touched ON COMMIT DROP AS
  SELECT i.identity, i.account AS before
  FROM product_event_identities i
  WHERE i.cluster IN (
    SELECT l.cluster FROM ru_links l
    UNION SELECT l.identity FROM ru_links l
    UNION SELECT p.cluster FROM product_event_identities p WHERE p.identity IN (SELECT identity FROM ru_new WHERE type = 'group')
  )`;

export const APPLY_LINKS_SQL = `
  UPDATE product_event_identities i SET cluster = l.cluster
  FROM ru_links l
  WHERE i.identity = l.identity AND i.cluster = i.identity`;

/** A cluster's account: the groupId of the latest group call (by timestamp) of any of its ids. */
export const CLUSTER_ACCOUNTS_SQL = `
  WITH clusters AS (
    SELECT DISTINCT p.cluster FROM product_event_identities p JOIN ru_touched t ON t.identity = p.identity
  ), latest AS (
    SELECT DISTINCT ON (m.cluster) m.cluster, e.group_id
    FROM product_event_identities m
    JOIN clusters c ON c.cluster = m.cluster
    JOIN product_events e ON e.identity = m.identity AND e.type = 'group'
    ORDER BY m.cluster, e.ts DESC, e.seq DESC
  ), next AS (
    SELECT c.cluster, l.group_id FROM clusters c LEFT JOIN latest l ON l.cluster = c.cluster
  )
  UPDATE product_event_identities p SET account = n.group_id
  FROM next n
  WHERE p.cluster = n.cluster AND p.account IS DISTINCT FROM n.group_id`;

export const MOVED_SQL = `
  CREATE TEMP TABLE ru_moved ON COMMIT DROP AS
  SELECT t.identity, t.before, p.account AS after
  FROM ru_touched t JOIN product_event_identities p ON p.identity = t.identity
  WHERE t.before IS DISTINCT FROM p.account`;

/** Cells the moved ids' earlier events touched, under the old and the new account. Parameters: hi, tz. */
export const RECOMPUTE_CELLS_SQL = `
  CREATE TEMP TABLE ru_recompute ON COMMIT DROP AS
  SELECT DISTINCT a.account, (e.ts AT TIME ZONE $2)::date AS day
  FROM ru_moved m
  JOIN product_events e ON e.identity = m.identity AND e.type = 'track' AND e.group_id IS NULL AND e.seq <= $1
  CROSS JOIN LATERAL (VALUES (m.before), (m.after)) AS a(account)
  WHERE a.account IS NOT NULL`;

const IN_DAY = (t: string) => `${t}.ts >= (c.day::timestamp AT TIME ZONE $2) AND ${t}.ts < ((c.day + 1)::timestamp AT TIME ZONE $2)`;

/**
 * The track events to count, attributed: all events (seq <= hi) of the recomputed cells, and the
 * chunk's new events of every other cell. context.groupId names the account directly; otherwise
 * the user's account. Users are counted by cluster, so an anonymous id and its user are one user.
 * Parameters: hi, tz.
 */
export const SOURCE_SQL = `
  CREATE TEMP TABLE ru_src ON COMMIT DROP AS
  SELECT c.account, c.day, e.event, e.event_slug, coalesce(p.cluster, e.identity) AS user_key, true AS recomputed
  FROM ru_recompute c
  JOIN product_events e ON e.group_id = c.account AND e.type = 'track' AND e.seq <= $1 AND ${IN_DAY('e')}
  LEFT JOIN product_event_identities p ON p.identity = e.identity
  UNION ALL
  SELECT c.account, c.day, e.event, e.event_slug, p.cluster, true
  FROM ru_recompute c
  JOIN product_event_identities p ON p.account = c.account
  JOIN product_events e ON e.identity = p.identity AND e.type = 'track' AND e.group_id IS NULL AND e.seq <= $1 AND ${IN_DAY('e')}
  UNION ALL
  SELECT x.account, n.day, n.event, n.event_slug, p.cluster, false
  FROM ru_new n
  JOIN product_event_identities p ON p.identity = n.identity
  CROSS JOIN LATERAL (SELECT coalesce(n.group_id, p.account) AS account) x
  WHERE n.type = 'track' AND x.account IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM ru_recompute c WHERE c.account = x.account AND c.day = n.day)`;

/** Recomputed cells start again from nothing (milestones are handled on their own). */
export const RESET_RECOMPUTED_SQL = [
  `UPDATE product_event_cells pc SET value = 0 FROM ru_recompute c
   WHERE pc.account = c.account AND pc.day = c.day AND pc.metric NOT LIKE 'milestone.%' AND pc.value <> 0`,
  `DELETE FROM product_event_user_days u USING ru_recompute c WHERE u.account = c.account AND u.day = c.day`,
  `DELETE FROM product_event_account_days d USING ru_recompute c WHERE d.account = c.account AND d.day = c.day`,
];

/**
 * Counting metrics: a named event adds to its metrics ('' = ignored), any other to
 * feature.<slug>. Parameters: named events, their metrics.
 */
export const ADD_COUNTS_SQL = `
  INSERT INTO product_event_cells AS pc (account, metric, day, value)
  SELECT s.account, coalesce(r.metric, 'feature.' || s.event_slug) AS metric, s.day, count(*)::float8
  FROM ru_src s
  LEFT JOIN unnest($1::text[], $2::text[]) AS r(event, metric) ON r.event = s.event
  WHERE r.metric IS NULL OR r.metric <> ''
  GROUP BY 1, 2, 3
  ORDER BY 1, 2, 3
  ON CONFLICT (account, metric, day) DO UPDATE SET value = pc.value + EXCLUDED.value`;

export const ADD_USERS_AND_EVENTS_SQL = [
  `INSERT INTO product_event_user_days (account, day, user_key)
   SELECT DISTINCT account, day, user_key FROM ru_src ORDER BY 1, 2, 3
   ON CONFLICT DO NOTHING`,
  `INSERT INTO product_event_account_days AS d (account, day, events)
   SELECT account, day, count(*) FROM ru_src GROUP BY 1, 2 ORDER BY 1, 2
   ON CONFLICT (account, day) DO UPDATE SET events = d.events + EXCLUDED.events`,
];

/** Distinct users of every touched cell, from the day's user set. Parameter: the active-users metric. */
export const ACTIVE_USERS_SQL = `
  INSERT INTO product_event_cells AS pc (account, metric, day, value)
  SELECT c.account, $1, c.day, (SELECT count(*) FROM product_event_user_days u WHERE u.account = c.account AND u.day = c.day)::float8
  FROM (SELECT account, day FROM ru_src UNION SELECT account, day FROM ru_recompute) c
  ORDER BY 1, 3
  ON CONFLICT (account, metric, day) DO UPDATE SET value = EXCLUDED.value WHERE pc.value IS DISTINCT FROM EXCLUDED.value`;

const MILESTONE_EVENTS = 'unnest($1::text[], $2::text[]) AS m(event, metric)';

/**
 * Milestones: 1 on the first day the account sent the event. New events can only move that day
 * earlier; only when a recomputed cell lost the event that set it is the history searched again.
 * Parameters: milestone events, their metrics (then hi, tz for the history search).
 */
export const MILESTONE_SQL = [
  `CREATE TEMP TABLE ru_ms_seen ON COMMIT DROP AS
   SELECT s.account, m.metric, min(s.day) AS day FROM ru_src s JOIN ${MILESTONE_EVENTS} ON m.event = s.event GROUP BY 1, 2`,
  `CREATE TEMP TABLE ru_ms_current ON COMMIT DROP AS
   SELECT pc.account, pc.metric, pc.day FROM product_event_cells pc
   WHERE pc.metric = ANY($1::text[]) AND pc.value > 0
     AND pc.account IN (SELECT account FROM ru_src UNION SELECT account FROM ru_recompute)`,
  `CREATE TEMP TABLE ru_ms_lost ON COMMIT DROP AS
   SELECT c.account, c.metric FROM ru_ms_current c
   JOIN ru_recompute r ON r.account = c.account AND r.day = c.day
   WHERE NOT EXISTS (
     SELECT 1 FROM ru_src s JOIN ${MILESTONE_EVENTS} ON m.event = s.event
     WHERE s.account = c.account AND s.day = c.day AND m.metric = c.metric
   )`,
];

export const MILESTONE_HISTORY_SQL = `
  CREATE TEMP TABLE ru_ms_full ON COMMIT DROP AS
  SELECT l.account, l.metric, (min(x.ts) AT TIME ZONE $4)::date AS day
  FROM ru_ms_lost l
  JOIN ${MILESTONE_EVENTS} ON m.metric = l.metric
  CROSS JOIN LATERAL (
    SELECT e.ts FROM product_events e
    WHERE e.group_id = l.account AND e.type = 'track' AND e.event = m.event AND e.seq <= $3
    UNION ALL
    SELECT e.ts FROM product_event_identities p
    JOIN product_events e ON e.identity = p.identity AND e.type = 'track' AND e.group_id IS NULL AND e.event = m.event AND e.seq <= $3
    WHERE p.account = l.account
  ) x
  GROUP BY 1, 2`;

export const MILESTONE_APPLY_SQL = [
  `CREATE TEMP TABLE ru_ms_target ON COMMIT DROP AS
   SELECT k.account, k.metric, CASE WHEN l.account IS NOT NULL THEN f.day ELSE least(c.day, s.day) END AS day
   FROM (SELECT account, metric FROM ru_ms_current UNION SELECT account, metric FROM ru_ms_seen) k
   LEFT JOIN ru_ms_current c ON c.account = k.account AND c.metric = k.metric
   LEFT JOIN ru_ms_seen s ON s.account = k.account AND s.metric = k.metric
   LEFT JOIN ru_ms_lost l ON l.account = k.account AND l.metric = k.metric
   LEFT JOIN ru_ms_full f ON f.account = k.account AND f.metric = k.metric`,
  `UPDATE product_event_cells pc SET value = 0 FROM ru_ms_target t
   WHERE pc.account = t.account AND pc.metric = t.metric AND pc.value > 0 AND pc.day IS DISTINCT FROM t.day`,
  `INSERT INTO product_event_cells AS pc (account, metric, day, value)
   SELECT account, metric, day, 1 FROM ru_ms_target WHERE day IS NOT NULL ORDER BY 1, 2
   ON CONFLICT (account, metric, day) DO UPDATE SET value = 1 WHERE pc.value <> 1`,
];

/** Per-id totals of events that depend on the id's account (no context.groupId), for the unattributed report. */
export const IDENTITY_STATS_SQL = `
  UPDATE product_event_identities p
  SET track_events = p.track_events + n.events, last_event_at = greatest(p.last_event_at, n.last_at)
  FROM (SELECT identity, count(*) AS events, max(ts) AS last_at FROM ru_new WHERE type = 'track' AND group_id IS NULL GROUP BY identity) n
  WHERE p.identity = n.identity`;

export const ADVANCE_SQL = `UPDATE product_event_rollup SET watermark = $1, rules_checksum = $2, rolled_at = now()`;

/** Under new rules every cell is recomputed: all events are rolled up again from the start. */
export const RESET_ALL_SQL = [
  `UPDATE product_event_cells SET value = 0 WHERE value <> 0`,
  `TRUNCATE product_event_user_days, product_event_account_days`,
  `UPDATE product_event_rollup SET watermark = 0, rules_checksum = $1, rolled_at = now()`,
];

/** Cells whose value differs from what usage_daily holds, for accounts that exist. Parameter: limit. */
export const UNWRITTEN_CELLS_SQL = `
  SELECT pc.account, pc.metric, to_char(pc.day, 'YYYY-MM-DD') AS day, pc.value
  FROM product_event_cells pc
  WHERE coalesce(pc.written, 0) <> pc.value
    AND EXISTS (SELECT 1 FROM accounts a WHERE a.external_id = pc.account)
  ORDER BY pc.account, pc.metric, pc.day
  LIMIT $1`;

export const MARK_WRITTEN_SQL = `
  UPDATE product_event_cells pc SET written = w.value
  FROM unnest($1::text[], $2::text[], $3::date[], $4::float8[]) AS w(account, metric, day, value)
  WHERE pc.account = w.account AND pc.metric = w.metric AND pc.day = w.day`;

/** Stored events not yet rolled up and the age of the oldest, for /metrics. */
export const LAG_SQL = `
  SELECT count(*)::bigint AS pending, extract(epoch FROM now() - min(e.received_at))::float8 AS lag_seconds
  FROM product_events e WHERE e.seq > (SELECT watermark FROM product_event_rollup)`;

/** Track events counted for no existing account. */
export const UNATTRIBUTED_TOTAL_SQL = `
  SELECT (SELECT coalesce(sum(track_events), 0) FROM product_event_identities WHERE account IS NULL)
       + (SELECT coalesce(sum(d.events), 0) FROM product_event_account_days d
          WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.external_id = d.account)) AS events`;

/**
 * The roll-up's tables whose statistics are stale: the event tables grow by thousands of rows a
 * second, faster than autovacuum re-analyses them, and with statistics from when they were small
 * the planner scans product_events once per moved user instead of probing its index.
 */
export const STALE_STATISTICS_SQL = `
  SELECT relname FROM pg_stat_user_tables
  WHERE relname IN ('product_events', 'product_event_identities', 'product_event_cells', 'product_event_user_days', 'product_event_account_days')
    AND n_mod_since_analyze > greatest(5000, 0.1 * n_live_tup)`;
