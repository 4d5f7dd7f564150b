import { HttpException } from '@nestjs/common';

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problemTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** An RFC 9457 problem: the one error shape every endpoint answers with. */
export class ProblemException extends HttpException {
  constructor(status: number, detail: string, options: { type?: string; title?: string; errors?: FieldError[]; extra?: Record<string, unknown> } = {}) {
    const body: ProblemBody = {
      type: options.type ?? 'about:blank',
      title: options.title ?? problemTitle(status),
      status,
      detail,
      ...(options.errors ? { errors: options.errors } : {}),
      ...options.extra,
    };
    super(body, status);
  }
}

export const validationProblem = (detail: string, errors: FieldError[]) =>
  new ProblemException(400, detail, { type: '/problems/validation-error', title: 'Invalid request', errors });

export const unprocessable = (detail: string, errors: FieldError[] = []) =>
  new ProblemException(422, detail, { type: '/problems/unprocessable', errors });

export const notFound = (detail: string) => new ProblemException(404, detail, { type: '/problems/not-found' });
