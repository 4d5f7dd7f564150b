export const ROLES = ['admin', 'revops', 'csm', 'sales', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** Who may read what the engine computes: everyone but pure data feeds. */
export const READERS: Role[] = ['revops', 'csm', 'sales'];
/** Who may write data: feeds (ingest); admin may do everything anyway. */
export const WRITERS: Role[] = ['ingest'];
