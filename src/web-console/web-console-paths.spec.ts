import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { isApiPath, webConsoleDir } from './web-console-paths.js';

describe('web console paths', () => {
  it('leaves the API, its docs, health and metrics to the API', () => {
    for (const p of ['/v1', '/v1/lists/at-risk', '/docs', '/docs-json', '/docs/swagger-ui.css', '/health', '/metrics']) expect(isApiPath(p)).toBe(true);
  });

  it('gives the console every other page path, including look-alikes', () => {
    for (const p of ['/', '/at-risk', '/accounts/acme', '/v1x', '/healthy', '/config']) expect(isApiPath(p)).toBe(false);
  });

  it('finds dist/web beside the package.json above the running file', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    expect(webConsoleDir(path.join(root, 'src', 'web-console', 'x.ts'))).toBe(path.join(root, 'dist', 'web'));
    expect(webConsoleDir(path.join(root, 'dist', 'src', 'web-console', 'x.js'))).toBe(path.join(root, 'dist', 'web'));
  });
});
