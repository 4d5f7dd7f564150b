import { existsSync } from 'node:fs';
import path from 'node:path';

/** Paths the API owns; the console's page routes must never answer them. */
const API_PREFIXES = ['/v1', '/docs', '/docs-json', '/health', '/metrics'];

export function isApiPath(urlPath: string): boolean {
  return API_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** dist/web of the project this file belongs to, whether it runs from src/ (tests) or dist/src/. */
export function webConsoleDir(fromFile: string): string {
  let dir = path.dirname(fromFile);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist/web');
    dir = parent;
  }
  return path.join(dir, 'dist', 'web');
}
