import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { isApiPath, webConsoleDir } from './web-console-paths.js';

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Health Signals</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Health Signals</h1><p>The web console has not been built. Run <code>npm run build</code> and restart the service.</p>
<p>The API is served at <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * Serves the web console (built by `npm run build` into dist/web) at `/` from the API's own
 * process. Hashed assets are cached for a year; any other non-API GET gets index.html so the
 * console's own routes (/at-risk?owner=…) survive a reload. The API paths are never shadowed.
 */
export function serveWebConsole(nestApp: INestApplication, dir = webConsoleDir(fileURLToPath(import.meta.url))): void {
  const app = nestApp as NestExpressApplication;
  const index = path.join(dir, 'index.html');
  const built = existsSync(index);
  // Mounted on /assets/ only, so API requests never reach it.
  if (built) app.useStaticAssets(path.join(dir, 'assets'), { prefix: '/assets/', index: false, immutable: true, maxAge: '365d' });
  // The other top-level files (favicon.svg) by name, listed once: a static middleware at `/` looked
  // each API request's path up on disk (an fs.stat per request, a tenth of the CPU of a health
  // request under load, profiled).
  const topLevel = built ? new Set(readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile() && entry.name !== 'index.html').map((entry) => `/${entry.name}`)) : new Set<string>();
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path)) return next();
    if (topLevel.has(request.path)) return response.sendFile(path.join(dir, request.path), { maxAge: '1h' }, (error) => error && next());
    // A missing asset (an old page asking for a file replaced by a rebuild) is a 404, not the page.
    if (request.path.startsWith('/assets/')) return response.status(404).type('text/plain').send('Not found');
    response.setHeader('Cache-Control', 'no-cache');
    // Read per request (it is tiny): a rebuild while the service runs is picked up.
    response.type('html').send(built && existsSync(index) ? readFileSync(index, 'utf8') : NOT_BUILT);
  });
}
