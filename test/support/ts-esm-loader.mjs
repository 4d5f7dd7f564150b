// Node module hooks for child processes that tests start from TypeScript sources (the kill -9
// test runs the service in its own process): `./x.js` specifiers resolve to `./x.ts` beside
// them, and .ts files are compiled by @swc/core with the transform Jest uses (swc-options.mjs).
// Register with `node --import ./test/support/ts-esm-register.mjs`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';
import { SWC_OPTIONS } from './swc-options.mjs';

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && specifier.endsWith('.js') && context.parentURL?.startsWith('file:')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts') || !url.startsWith('file:')) return next(url, context);
  const path = fileURLToPath(url);
  const { code } = await swc.transform(await readFile(path, 'utf8'), { ...SWC_OPTIONS, filename: path, sourceMaps: 'inline' });
  return { format: 'module', source: code, shortCircuit: true };
}
