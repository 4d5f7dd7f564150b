import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';
import { mediaTypeOf, parseIfMatch, readConfigBody } from './config-body.js';
import { renderConfigYaml } from './config-yaml.js';

const FILE_TEXT = readFileSync('config/scoring.yaml', 'utf8');
const FILE_CONFIG = parse(FILE_TEXT) as ScoringConfig;

describe('readConfigBody', () => {
  it('reads a YAML body, whatever YAML media type and parameters', () => {
    for (const contentType of ['application/yaml', 'text/yaml; charset=utf-8', 'application/x-yaml', 'TEXT/X-YAML']) {
      const result = readConfigBody({ contentType, body: FILE_TEXT });
      expect(result).toMatchObject({ ok: true, config: FILE_CONFIG, comment: undefined, extras: {} });
    }
  });

  it('reads a bare JSON config and a wrapped one with its comment and allowed extras', () => {
    const bare = readConfigBody({ contentType: 'application/json', body: FILE_CONFIG });
    const wrapped = readConfigBody({
      contentType: 'application/json',
      body: { config: FILE_CONFIG, comment: '  tuned  ', asOf: '2026-11-01' },
      wrapperKeys: ['asOf', 'limit'],
    });
    expect(bare.ok && wrapped.ok).toBe(true);
    if (!bare.ok || !wrapped.ok) return;
    expect(wrapped.checksum).toBe(bare.checksum);
    expect(wrapped.comment).toBe('tuned');
    expect(wrapped.extras).toEqual({ asOf: '2026-11-01' });
  });

  it('reads a wrapped config given as a YAML string', () => {
    const result = readConfigBody({ contentType: 'application/json', body: { config: FILE_TEXT } });
    expect(result).toMatchObject({ ok: true, config: FILE_CONFIG });
  });

  it('gives 422 with the paths of an invalid config', () => {
    const config = structuredClone(FILE_CONFIG);
    config.health.components['engagement']!.weight = -1;
    config.health.grades = { green: 70, yellow: 45, blue: 1 } as ScoringConfig['health']['grades'];
    const result = readConfigBody({ contentType: 'application/json', body: config });
    expect(result).toMatchObject({ ok: false, status: 422 });
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['health.components.engagement.weight', 'health.grades.blue']);
    expect(result.detail).toMatch(/2 problems/);
  });

  it('gives 400 for empty bodies and bad wrapper keys, 415 for other media types', () => {
    expect(readConfigBody({ contentType: 'application/yaml', body: '  \n' })).toMatchObject({ ok: false, status: 400 });
    expect(readConfigBody({ contentType: 'application/yaml', body: undefined })).toMatchObject({ ok: false, status: 400 });
    expect(readConfigBody({ contentType: 'application/json', body: {}, contentLength: 0 })).toMatchObject({ ok: false, status: 400 });
    expect(readConfigBody({ contentType: undefined, body: undefined })).toMatchObject({ ok: false, status: 400 });
    expect(readConfigBody({ contentType: 'application/json', body: { config: '' } })).toMatchObject({ ok: false, status: 400, errors: [{ path: 'config' }] });
    expect(readConfigBody({ contentType: 'application/json', body: { config: FILE_CONFIG, comment: 5, extra: 1 } })).toMatchObject({
      ok: false,
      status: 400,
      errors: [{ path: 'extra' }, { path: 'comment' }],
    });
    expect(readConfigBody({ contentType: 'text/plain', body: FILE_TEXT })).toMatchObject({ ok: false, status: 415 });
    expect(readConfigBody({ contentType: undefined, body: 'x' })).toMatchObject({ ok: false, status: 415 });
  });

  it('validates `{}` rather than calling it empty: every required key is named', () => {
    const result = readConfigBody({ contentType: 'application/json', body: {} });
    expect(result).toMatchObject({ ok: false, status: 422 });
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain('health');
  });
});

describe('parseIfMatch and mediaTypeOf', () => {
  it('parses entity tags, weak or strong, and the wildcard', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' ')).toBeUndefined();
    expect(parseIfMatch('"abc"')).toEqual(['abc']);
    expect(parseIfMatch('"abc", W/"def", ghi')).toEqual(['abc', 'def', 'ghi']);
    expect(parseIfMatch('*')).toEqual(['*']);
  });

  it('reduces a Content-Type to its lower-case essence', () => {
    expect(mediaTypeOf('Application/YAML; charset=utf-8')).toBe('application/yaml');
    expect(mediaTypeOf('')).toBeUndefined();
    expect(mediaTypeOf(undefined)).toBeUndefined();
  });
});

describe('renderConfigYaml', () => {
  it('puts the version facts in leading comments and parses back to the config', () => {
    const text = renderConfigYaml({
      version: 7,
      checksum: 'c'.repeat(64),
      config: FILE_CONFIG,
      source: 'api',
      author: 'RevOps\nMaria',
      comment: 'line one\nline two',
      createdAt: '2026-11-23T09:00:00.000Z',
    });
    expect(text.split('\n').slice(0, 6)).toEqual([
      '# Health Signals scoring config, version 7 (api)',
      '# version: 7',
      `# checksum: ${'c'.repeat(64)}`,
      '# author: RevOps Maria',
      '# createdAt: 2026-11-23T09:00:00.000Z',
      '# comment: line one line two',
    ]);
    expect(parse(text)).toEqual(FILE_CONFIG);
    expect(readConfigBody({ contentType: 'application/yaml', body: text })).toMatchObject({ ok: true, config: FILE_CONFIG });
  });
});
