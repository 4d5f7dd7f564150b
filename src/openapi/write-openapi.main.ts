/**
 * Writes the OpenAPI document to a file without a database: Nest's preview mode reads the
 * controllers' metadata but instantiates no provider, so nothing connects anywhere.
 * `node dist/src/openapi/write-openapi.main.js <out.json>` (run by `npm run build`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadEnv } from '../config/env.js';
import { buildOpenApiDocument } from './openapi-document.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('Usage: node dist/src/openapi/write-openapi.main.js <out.json>\n');
  process.exit(2);
}
const env = loadEnv({ LOG_LEVEL: 'silent' });
const app = await NestFactory.create(AppModule.forRoot(env, 'postgres://unused@localhost/unused'), { preview: true, logger: false });
const document = buildOpenApiDocument(app);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`OpenAPI document (${Object.keys(document.paths).length} paths) written to ${out}\n`);
await app.close();
