import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The service's OpenAPI document: served at /docs-json and the source of the web console's typed client. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
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
}
