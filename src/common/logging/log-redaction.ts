/**
 * What request logs must never carry: API keys (sent where they belong or, by mistake, in the
 * query string or another header), cookies, tokens and database passwords. Pure functions so
 * the rules are unit-tested; the logger module wires them in as pino-http's request serializer.
 */
export const REDACTED = '[Redacted]';

/** Header or query names whose value is a credential whatever it looks like. */
const SECRET_NAME = /auth|key|token|secret|passw|cookie|session|signature|credential/i;
/** An API key in any position (keys are `hs_` + 32 base64url characters). */
const KEY_SHAPED = /hs_[A-Za-z0-9_-]{8,}/g;

export interface RedactionOptions {
  /** Exact secrets to blank wherever they appear (the ADMIN_API_KEY from the environment). */
  secrets?: string[];
}

export function redactText(text: string, options: RedactionOptions = {}): string {
  let out = text.replace(KEY_SHAPED, REDACTED);
  for (const secret of options.secrets ?? []) if (secret) out = out.split(secret).join(REDACTED);
  return out;
}

function redactValue(name: string, value: unknown, options: RedactionOptions): unknown {
  if (SECRET_NAME.test(name)) return REDACTED;
  if (typeof value === 'string') return redactText(value, options);
  if (Array.isArray(value)) return value.map((item) => redactValue(name, item, options));
  return value;
}

export function redactRecord(record: Record<string, unknown> | undefined, options: RedactionOptions = {}): Record<string, unknown> | undefined {
  if (!record || typeof record !== 'object') return record;
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, redactValue(name, value, options)]));
}

/** A request URL with credential-named query parameters and key-shaped text blanked. */
export function redactUrl(url: string, options: RedactionOptions = {}): string {
  const at = url.indexOf('?');
  if (at < 0) return redactText(url, options);
  const params = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return redactText(pair, options);
      const name = pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed escape: judge the raw name
      }
      return SECRET_NAME.test(decoded) ? `${name}=${REDACTED}` : `${name}=${redactText(pair.slice(eq + 1), options)}`;
    });
  return `${redactText(url.slice(0, at), options)}?${params.join('&')}`;
}

/** `postgres://user:secret@host/db` → `postgres://user:[Redacted]@host/db`: for start-up lines. */
export function redactConnectionString(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, `$1:${REDACTED}@`);
}

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  params?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/** pino-http request serializer: the standard fields, with every credential blanked. */
export function redactRequestLog(options: RedactionOptions = {}) {
  return (req: SerializedRequest): SerializedRequest => ({
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url, options) : req.url,
    query: redactRecord(req.query, options),
    params: redactRecord(req.params, options),
    headers: redactRecord(req.headers, options),
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  });
}
