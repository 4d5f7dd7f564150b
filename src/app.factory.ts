import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { createHttpLogger, createRootLogger } from './common/logging/http-logger.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { answerClientErrorsAsProblems, jsonBodyGuard, urlAndMediaTypeGuard } from './common/request-guards.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { isEventsRequest } from './events/event-request-body.js';
import type { Env } from './config/env.js';
import { buildOpenApiDocument } from './openapi/openapi-document.js';
import { serveWebConsole } from './web-console/serve-web-console.js';

/** Builds the configured application; shared by main, the demo and the end-to-end tests (which may collect its log lines). */
export async function createApp(env: Env, databaseUrl: string, options: { logTo?: DestinationStream } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, databaseUrl), { bufferLogs: true });
  const logger = createRootLogger(env, options.logTo);
  app.useLogger(new PinoNestLogger(logger));
  // First, so requests refused by the guards below are logged too.
  app.use(createHttpLogger(logger, env));
  // Bulk JSON bodies (10,000 accounts, usage rows) are larger than the 100 kB default.
  // CSV and NDJSON imports are not parsed here: their route streams the raw request. Nor are
  // product events: their routes read the body themselves to apply Segment's size limits.
  app.use(urlAndMediaTypeGuard);
  app.useBodyParser('json', { limit: '50mb', type: (request) => !isEventsRequest(request) && isJsonContent(request.headers['content-type']) });
  app.use(jsonBodyGuard);
  const server = app.getHttpServer() as import('node:http').Server;
  answerClientErrorsAsProblems(server);
  // Idle keep-alive connections stay open longer than clients and load balancers keep theirs
  // (60 s is the usual balancer idle timeout): with Node's 5 s, a client reusing a connection
  // the server is closing at that moment gets ECONNRESET (or a balancer answers 502).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  serveWebConsole(app);
  return app;
}

/** What express.json() takes by default: application/json, with or without parameters. */
function isJsonContent(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}
