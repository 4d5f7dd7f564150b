import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { problemTitle, type ProblemBody } from './problem.js';

/** Turns every error into `application/problem+json`; unexpected ones are logged and answered 500 without internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const body = this.toProblem(exception);
    if (body.status >= 500) this.logger.error({ err: exception, requestId: request.id }, 'unhandled error');
    if (response.headersSent) {
      response.end();
      return;
    }
    response
      .status(body.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...body, instance: request.originalUrl, requestId: request.id }));
  }

  private toProblem(exception: unknown): ProblemBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'type' in payload && 'status' in payload) {
        return payload as ProblemBody;
      }
      const message = typeof payload === 'string' ? payload : (payload as { message?: unknown }).message;
      return {
        type: 'about:blank',
        title: problemTitle(status),
        status,
        detail: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message),
      };
    }
    // Body-parser errors (malformed JSON, body too large) carry their HTTP status.
    const maybe = exception as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = maybe?.status ?? maybe?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const detail = maybe.type === 'entity.parse.failed' ? `Malformed JSON body: ${maybe.message}` : String(maybe.message);
      return { type: 'about:blank', title: problemTitle(status), status, detail };
    }
    return { type: 'about:blank', title: problemTitle(500), status: 500, detail: 'An unexpected error occurred; it has been logged.' };
  }
}
