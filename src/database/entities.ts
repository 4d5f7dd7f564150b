import { ApiKey } from '../auth/api-key.entity.js';
import { Plan } from '../plans/plan.entity.js';

/** Every TypeORM entity. Most heavy reads and writes are SQL; entities serve the plain CRUD. */
export const ENTITIES = [ApiKey, Plan];
