import 'dotenv/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.js';

// For the typeorm CLI (migration:run/revert; migrations are hand-written, see docs/architecture.md). It needs a running server: DATABASE_URL,
// or the embedded one while the service runs (its URL is logged at start).
if (!process.env.DATABASE_URL) {
  throw new Error('Set DATABASE_URL (the service logs the embedded database URL at start) to run migration commands.');
}
export default new DataSource(buildDataSourceOptions(process.env.DATABASE_URL));
