import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one way functions log: Powertools for AWS Lambda's Logger, one per function. Structured
 * JSON on stdout, with the level, the service, and once `observe` has given it the invocation
 * (functions/shared/observability.ts) the request id, function name and cold start. The level
 * comes from `POWERTOOLS_LOG_LEVEL` (the stack sets it; INFO otherwise) and a share of
 * invocations (`POWERTOOLS_LOGGER_SAMPLE_RATE`) logs at DEBUG. `SECURETASK_LOG_LEVEL=silent`
 * quiets it (tests, benchmarks), decided when the logger is made. Never log tokens, presigned
 * URLs, image bytes, emails or names: test/security/secrets-in-logs watches.
 */
export function createLogger(service: string): Logger {
  const logger = new Logger({ serviceName: service, logLevel: process.env.SECURETASK_LOG_LEVEL === 'silent' ? 'SILENT' : undefined });
  services.set(logger, service);
  return logger;
}

const services = new WeakMap<Logger, string>();

/** The service a logger made by {@link createLogger} logs as. */
export function serviceOf(logger: Logger): string {
  return services.get(logger) ?? 'securetask';
}
