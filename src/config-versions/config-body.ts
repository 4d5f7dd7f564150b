/**
 * Turning a request body into a candidate scoring config, shared by `PUT /v1/config`,
 * `POST /v1/config/preview` (and the backtest/fit endpoints, which take the same `config`).
 * Pure: the media type and what the body parsers left in `request.body` in, a validated
 * config or an HTTP status with every problem out. Error paths are relative to the config
 * document (`health.components.engagement.weight`), whichever form carried it.
 */

import { parseScoringConfig, validateScoringConfig, type ConfigError } from '../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../scoring/domain/config/scoring-config.types.js';

/** Raw YAML bodies: the official type (RFC 9512) and the ones tools still send. */
export const YAML_MEDIA_TYPES = ['application/yaml', 'text/yaml', 'application/x-yaml', 'text/x-yaml'] as const;
export const CONFIG_MEDIA_TYPES = ['application/json', ...YAML_MEDIA_TYPES] as const;

export const MAX_COMMENT_LENGTH = 500;

export type ConfigBodyResult =
  | {
      ok: true;
      config: ScoringConfig;
      checksum: string;
      /** `comment` of a wrapped JSON body, when given. */
      comment: string | undefined;
      /** The wrapper's other allowed keys (e.g. preview's `asOf`), unvalidated. */
      extras: Record<string, unknown>;
    }
  | { ok: false; status: 400 | 415 | 422; detail: string; errors: ConfigError[] };

export interface ConfigBodyInput {
  contentType: string | undefined;
  /** What the body parsers produced: an object for JSON, a string for YAML, undefined when nothing was read. */
  body: unknown;
  /** Content-Length when the client sent one: 0 means an empty body even if a parser filled in `{}`. */
  contentLength?: number;
  /** Keys allowed beside `config` in a wrapped JSON body (besides `comment`). */
  wrapperKeys?: readonly string[];
}

/** `application/yaml; charset=utf-8` → `application/yaml`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  return essence === '' ? undefined : essence;
}

export function isYamlMediaType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && (YAML_MEDIA_TYPES as readonly string[]).includes(mediaType);
}

const isJsonMediaType = (mediaType: string) => mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const EMPTY: ConfigBodyResult = {
  ok: false,
  status: 400,
  detail: 'The body is empty: send the scoring config as YAML (Content-Type: application/yaml) or JSON',
  errors: [{ path: '', message: 'the body is empty' }],
};

function invalid(errors: ConfigError[]): ConfigBodyResult {
  return {
    ok: false,
    status: 422,
    detail: `The scoring config is invalid (${errors.length} problem${errors.length === 1 ? '' : 's'}); nothing was changed`,
    errors,
  };
}

function fromValidation(result: ReturnType<typeof validateScoringConfig>, comment: string | undefined, extras: Record<string, unknown>): ConfigBodyResult {
  return result.ok ? { ok: true, config: result.config, checksum: result.checksum, comment, extras } : invalid(result.errors);
}

export function readConfigBody(input: ConfigBodyInput): ConfigBodyResult {
  const mediaType = mediaTypeOf(input.contentType);
  const emptyByLength = input.contentLength === 0;
  if (mediaType === undefined) {
    // No Content-Type and no body is "forgot the body"; a body without a type is a client mistake.
    if (emptyByLength || input.body === undefined) return EMPTY;
    return unsupported(undefined);
  }
  if (isYamlMediaType(mediaType)) {
    if (emptyByLength || typeof input.body !== 'string' || input.body.trim() === '') return EMPTY;
    return fromValidation(parseScoringConfig(input.body, 'yaml'), undefined, {});
  }
  if (!isJsonMediaType(mediaType)) return unsupported(mediaType);
  if (emptyByLength || input.body === undefined) return EMPTY;
  return readJson(input.body, input.wrapperKeys ?? []);
}

function unsupported(mediaType: string | undefined): ConfigBodyResult {
  return {
    ok: false,
    status: 415,
    detail: `${mediaType === undefined ? 'No Content-Type was given' : `Content-Type ${mediaType} is not accepted`}. Accepted: ${CONFIG_MEDIA_TYPES.join(', ')}`,
    errors: [{ path: '', message: `send one of ${CONFIG_MEDIA_TYPES.join(', ')}` }],
  };
}

/**
 * A JSON body is either the config itself or `{config, comment?, …wrapperKeys}`. No config has a
 * top-level `config` key, so its presence tells the two apart. A wrapped `config` may also be a
 * YAML (or JSON) string, so a file can be sent as-is inside a JSON request.
 */
function readJson(body: unknown, wrapperKeys: readonly string[]): ConfigBodyResult {
  if (!isPlainObject(body) || !('config' in body)) return fromValidation(validateScoringConfig(body), undefined, {});

  const allowed = ['config', 'comment', ...wrapperKeys];
  const wrapperErrors: ConfigError[] = Object.keys(body)
    .filter((key) => !allowed.includes(key))
    .map((key) => ({ path: key, message: `unknown key of the request (allowed: ${allowed.join(', ')})` }));
  const comment = body['comment'];
  if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > MAX_COMMENT_LENGTH)) {
    wrapperErrors.push({ path: 'comment', message: `must be a string of at most ${MAX_COMMENT_LENGTH} characters` });
  }
  if (wrapperErrors.length > 0) {
    return { ok: false, status: 400, detail: `Invalid request: ${wrapperErrors.map((e) => e.path).join(', ')}`, errors: wrapperErrors };
  }
  const extras = Object.fromEntries(Object.entries(body).filter(([key]) => wrapperKeys.includes(key)));
  const commentText = typeof comment === 'string' && comment.trim() !== '' ? comment.trim() : undefined;
  const config = body['config'];
  if (typeof config === 'string') {
    if (config.trim() === '') return { ok: false, status: 400, detail: 'The config is empty', errors: [{ path: 'config', message: 'is empty' }] };
    return fromValidation(parseScoringConfig(config, 'yaml'), commentText, extras);
  }
  return fromValidation(validateScoringConfig(config), commentText, extras);
}

/** `If-Match: "abc", W/"def"` → `['abc', 'def']`; `*` stays `*`. Undefined when the header is absent. */
export function parseIfMatch(header: string | undefined): string[] | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'))
    .filter((tag) => tag !== '');
}
