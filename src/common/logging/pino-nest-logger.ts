import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger interface on top of pino, so framework and feature logs (`new Logger('Context')`)
 * come out as the same JSON lines as the request log. Written here rather than taken from
 * nestjs-pino, whose versions for Nest 12 require Node 22 while this service runs on Node 20.
 *
 * Nest calls `log(message, ...params, context)`: the last parameter is the logger's context. A
 * first argument that is an object is merged into the line (`logger.error({ err }, 'failed')`).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const base: Record<string, unknown> = context ? { context } : {};
    if (message instanceof Error) {
      this.pino[level]({ ...base, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const text = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
      this.pino[level]({ ...base, ...(message as Record<string, unknown>) }, text);
    } else {
      // Nest's own error logs pass a stack trace as the parameter after the message.
      const stack = level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n') ? (rest.shift() as string) : undefined;
      this.pino[level]({ ...base, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
