/** An RFC 9457 problem+json answer from the API, or a network failure, as the console shows it. */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  412: 'Changed since you loaded it',
  422: 'Invalid input',
  500: 'The service failed',
  502: 'The service is unreachable',
  503: 'The service is unavailable',
};

export function toApiError(status: number, body: unknown): ApiError {
  const problem = (typeof body === 'object' && body !== null ? body : {}) as { title?: unknown; detail?: unknown; errors?: unknown };
  const title = typeof problem.title === 'string' ? problem.title : (STATUS_TITLES[status] ?? `HTTP ${status}`);
  const detail = typeof problem.detail === 'string' ? problem.detail : typeof body === 'string' && body.length < 300 && !body.startsWith('<') ? body : undefined;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is FieldError => typeof e === 'object' && e !== null && typeof (e as FieldError).message === 'string').map((e) => ({ path: String(e.path ?? ''), message: e.message }))
    : [];
  return new ApiError(status, title, detail, errors);
}

export function describeError(error: unknown, role?: string): { title: string; detail?: string; errors: FieldError[] } {
  if (error instanceof ApiError) {
    if (error.status === 403) {
      return { title: role ? `Your key's role (${role}) cannot do this` : 'Your key cannot do this', detail: error.detail, errors: error.errors };
    }
    return { title: error.title, detail: error.detail, errors: error.errors };
  }
  if (error instanceof TypeError) return { title: 'The service did not answer', detail: 'Check that it is running and reachable, then try again.', errors: [] };
  return { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error), errors: [] };
}
