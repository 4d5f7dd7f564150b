import createClient from 'openapi-fetch';
import { toApiError } from './problem';
import type { paths } from './schema.gen';
import { SESSION_ENDED, session } from './session';

/**
 * The API client, typed from the service's own OpenAPI document (see `npm run openapi`). It reads
 * JSON: routes that also answer CSV are downloaded with `download` instead.
 */
export const api = createClient<paths, 'application/json'>({ baseUrl: '' });

api.use({
  onRequest({ request }) {
    const key = session.key();
    if (key && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${key}`);
    return request;
  },
  onResponse({ request, response }) {
    // A key that worked before and is refused now was revoked or has expired: end the session.
    if (response.status === 401 && session.key() && request.headers.get('Authorization') === `Bearer ${session.key()}`) {
      window.dispatchEvent(new Event(SESSION_ENDED));
    }
    return response;
  },
});

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an ApiError carrying the problem+json title, detail and errors. */
export async function ok<R extends FetchResult>(call: Promise<R>): Promise<NonNullable<R['data']>> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as NonNullable<R['data']>;
}

/**
 * For answers the OpenAPI document does not describe yet (no response schema on the route):
 * the console names the shape it reads in views.ts.
 */
export async function okAs<V>(call: Promise<FetchResult>): Promise<V> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response.status, error);
  return data as V;
}

/** A file download (CSV) with the key in a header, never in a URL. */
export async function download(url: string, filename: string): Promise<void> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${session.key()}` } });
  if (!response.ok) throw toApiError(response.status, await response.json().catch(() => undefined));
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

