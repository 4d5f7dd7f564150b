import { Controller, Get, Header, Injectable, type NestMiddleware } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Roles } from '../auth/roles.decorator.js';

/** One registry per process; features add their own counters to it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
  registers: [metricsRegistry],
});

export const rowsIngested = new Counter({
  name: 'usage_rows_ingested_total',
  help: 'Usage rows written by the JSON and bulk import endpoints',
  registers: [metricsRegistry],
});

export const alertsCreated = new Counter({
  name: 'alerts_created_total',
  help: 'Alerts recorded by the rules, by rule and status (open = sent, deferred = over the daily cap, held_out = holdout)',
  labelNames: ['rule', 'status'],
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (delivered, retry, dead) and event type',
  labelNames: ['outcome', 'event_type'],
  registers: [metricsRegistry],
});

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const stop = httpDuration.startTimer();
    response.on('finish', () => {
      // The route pattern, not the URL, keeps label cardinality bounded.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route: `${request.baseUrl}${route}`, status: response.statusCode });
    });
    next();
  }
}

@ApiTags('operations')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  /** Prometheus text format. Scrape with an admin or revops key (bearer_token in the scrape config). */
  @Get()
  @Roles('revops')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
