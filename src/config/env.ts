import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Process settings (README, "Settings"). Everything RevOps tunes lives in config/scoring.yaml instead. */
export class Env {
  @Type(() => Number) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /**
   * Interface to listen on. Loopback by default, so a demo on a laptop is not served to the
   * network; set 0.0.0.0 (or a specific address) in production behind the load balancer.
   */
  @IsString() @MinLength(1)
  HOST = '127.0.0.1';

  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString() @MinLength(1)
  DATA_DIR = '.data';

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters' })
  ADMIN_API_KEY?: string;

  @IsString()
  SCORING_CONFIG = 'config/scoring.yaml';

  @IsOptional() @IsString()
  SCORING_CRON?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Type(() => Number) @IsInt() @Min(1)
  WEBHOOK_RETRY_BASE_MS = 30000;

  /** Accounts a scoring run holds in memory at once; larger runs stream in chunks of this many (docs/scaling.md). */
  @Type(() => Number) @IsInt() @Min(1)
  RUN_CHUNK_ACCOUNTS = 25000;

  /** Account × metric aggregates a run holds in memory at once: with more metrics, chunks hold fewer accounts (docs/scaling.md). */
  @Type(() => Number) @IsInt() @Min(1)
  RUN_CHUNK_METRIC_ROWS = 200000;

  /** Shards of large runs this process scores at once (each holds one chunk of accounts in memory). */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  WORKER_CONCURRENCY = 1;

  /** `true`: no HTTP server, only the background workers (runs, shards, after-run steps, webhooks); add such processes to score large runs faster. */
  @IsIn(['true', 'false'])
  WORKER_ONLY: 'true' | 'false' = 'false';

  /**
   * `true`: HTTP only; runs, shards, after-run steps, webhook deliveries and the background merges
   * of imports and events are left to `WORKER_ONLY` processes, so a run never shares this
   * process's event loop with the requests it serves (README, "Running in production").
   */
  @IsIn(['true', 'false'])
  SERVE_ONLY: 'true' | 'false' = 'false';

  /**
   * Webhook URLs may target loopback and private networks only when this is true (receivers on
   * the same network as the service); otherwise such URLs are refused so an API key cannot make
   * the server call internal services.
   */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true' | 'false' = 'false';

  @IsOptional() @IsUrl({ require_tld: false })
  HUBSPOT_BASE_URL?: string;

  @IsOptional() @IsString()
  HUBSPOT_TOKEN?: string;

  @IsOptional() @IsUrl({ require_tld: false })
  SALESFORCE_INSTANCE_URL?: string;

  @IsOptional() @IsString()
  SALESFORCE_TOKEN?: string;

  /** Renames CRM properties/fields: inline JSON or a path to a JSON file (docs/crm-fields.md). */
  @IsOptional() @IsString()
  CRM_FIELD_MAP?: string;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Validates the environment once at start; a bad setting stops the process with one readable line per problem. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const raw = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => `  ${error.property}: ${message}`));
  // A process with neither HTTP nor background work would do nothing.
  if (env.WORKER_ONLY === 'true' && env.SERVE_ONLY === 'true') lines.push('  SERVE_ONLY: cannot be true together with WORKER_ONLY (the process would neither serve nor work)');
  if (lines.length > 0) {
    throw new EnvError(`Invalid environment settings:\n${lines.join('\n')}`);
  }
  return env;
}
