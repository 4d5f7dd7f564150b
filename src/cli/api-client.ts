/**
 * The CLI's HTTP client for a running Health Signals service: JSON requests, streamed uploads,
 * and errors that carry the service's problem+json so the user sees its detail and every
 * field error, not just a status code.
 */

export interface FieldProblem {
  path: string;
  message: string;
}

export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
}

/** The service answered with an error status. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | null,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}${problem?.title ? ` ${problem.title}` : ''}${problem?.detail ? `: ${problem.detail}` : ''}`);
  }
}

/** The service could not be reached at all. */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

export interface ApiClientOptions {
  url: string;
  key: string;
  fetch?: typeof fetch;
}

export class ApiClient {
  private readonly root: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.root = options.url.replace(/\/+$/, '');
    this.fetcher = options.fetch ?? fetch;
  }

  get url(): string {
    return this.root;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (body !== undefined) init.body = JSON.stringify(body);
    return (await this.send(method, path, init)) as T;
  }

  /** Streams `chunks` as the request body (Node's fetch needs half-duplex for that). */
  async upload<T>(path: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<T> {
    const init = { method: 'POST', headers: this.headers({ 'Content-Type': contentType }), body: chunks, duplex: 'half' } as unknown as RequestInit;
    return (await this.send('POST', path, init)) as T;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return { Authorization: `Bearer ${this.options.key}`, Accept: 'application/json', ...extra };
  }

  private async send(method: string, path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.root}${path}`, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new ConnectionError(`cannot reach the service at ${this.root} (${reason}); is it running? Set --url or HS_URL`);
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, parseProblem(text), text);
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}

function parseProblem(text: string): Problem | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : null;
  } catch {
    return null;
  }
}

/** The lines to show for a failed request: the problem's detail, then each field error. */
export function describeError(error: unknown): string[] {
  if (error instanceof ApiError) {
    const lines = [`error: ${error.message}`];
    for (const field of error.problem?.errors ?? []) lines.push(`  ${field.path || '(document)'}: ${field.message}`);
    if (error.problem === null && error.body.trim() !== '') lines.push(`  ${error.body.trim().slice(0, 500)}`);
    if (error.status === 401) lines.push('  hint: pass an API key with --key or HS_API_KEY');
    if (error.status === 403) lines.push('  hint: this command needs a revops or admin key');
    return lines;
  }
  if (error instanceof Error) return [`error: ${error.message}`];
  return [`error: ${String(error)}`];
}
