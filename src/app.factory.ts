import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { isEventsRequest } from './events/event-request-body.js';
import type { Env } from './config/env.js';

/** Builds the configured application; shared by main, the demo and the end-to-end tests. */
export async function createApp(env: Env, databaseUrl: string): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, databaseUrl), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Bulk JSON bodies (10,000 accounts, usage rows) are larger than the 100 kB default.
  // CSV and NDJSON imports are not parsed here: their route streams the raw request. Nor are
  // product events: their routes read the body themselves to apply Segment's size limits.
  app.useBodyParser('json', { limit: '50mb', type: (request) => !isEventsRequest(request) && isJsonContent(request.headers['content-type']) });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Health Signals API')
      .setDescription(
        'Customer health, value gap, churn risk and upgrade readiness for every account, with ranked at-risk and expansion lists. ' +
          'Authenticate with `Authorization: Bearer <key>`. Errors are RFC 9457 `application/problem+json`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** What express.json() takes by default: application/json, with or without parameters. */
function isJsonContent(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}
