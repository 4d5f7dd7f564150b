import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles.js';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** Roles allowed besides admin, which may call everything. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No key needed (only the liveness/readiness probe). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const WRITE_KEY_AUTH = 'writeKeyAuth';
/**
 * The key may also come as the user name of HTTP Basic auth (password empty), which is how
 * Segment and RudderStack send a source's write key. Only on the event intake routes.
 */
export const AcceptsWriteKey = () => SetMetadata(WRITE_KEY_AUTH, true);
