import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import { pinoHttp } from 'pino-http';
import { redactRequestLog } from './log-redaction.js';

export interface LoggingSettings {
  LOG_LEVEL: string;
  ADMIN_API_KEY?: string;
}

/** The process's JSON-lines logger, on stdout unless given another destination. */
export function createRootLogger(settings: LoggingSettings, destination?: DestinationStream): Pino {
  return destination ? pino({ level: settings.LOG_LEVEL }, destination) : pino({ level: settings.LOG_LEVEL });
}

/**
 * One line per request with its id, status and duration; credentials never reach it (see
 * log-redaction). A caller's X-Request-Id is kept so a request can be followed across services.
 */
export function createHttpLogger(logger: Pino, settings: LoggingSettings): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (request, response) => {
      const given = request.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      response.setHeader('X-Request-Id', id);
      return id;
    },
    // Keys may arrive in any header or (refused, but logged) in the query string.
    serializers: { req: redactRequestLog({ secrets: settings.ADMIN_API_KEY ? [settings.ADMIN_API_KEY] : [] }) },
    redact: { paths: ['res.headers["set-cookie"]'], censor: '[Redacted]' },
    autoLogging: { ignore: (request) => request.url === '/health' },
  }) as unknown as RequestHandler;
}
