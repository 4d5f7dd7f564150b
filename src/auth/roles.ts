export const ROLES = ['admin', 'revops', 'csm', 'sales', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may read accounts, scores, lists and alerts: the people who act on them (csm and sales
 * keys with an owner see only their own book). Data feeds (ingest) read none of it.
 */
export const READERS: Role[] = ['revops', 'csm', 'sales'];
/** Who may read and steer the engine itself (runs, config, reports, outcomes): revops. */
export const OPERATORS: Role[] = ['revops'];
/** Who may write data: feeds (ingest); admin may do everything anyway. */
export const WRITERS: Role[] = ['ingest'];
