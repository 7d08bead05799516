/** One structured log line per event, JSON on stdout as Lambda and CloudWatch expect. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger for one function. `SECURETASK_LOG_LEVEL=silent` quiets it (tests, benchmarks). */
export function createLogger(service: string): Logger {
  const write = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    if (process.env.SECURETASK_LOG_LEVEL === 'silent') return;
    process.stdout.write(JSON.stringify({ time: new Date().toISOString(), level, service, message, ...fields }) + '\n');
  };
  return { info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}
