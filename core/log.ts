/**
 * Structured logs: one JSON object per line on stderr, so stdout stays for results
 * (SQL output, summaries) that users pipe elsewhere. Secrets never reach a log line:
 * callers log names of settings, not values, and `redact` masks known secret keys.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /(password|secret|token|credential|access_key)/i;

let threshold: LogLevel = (process.env.NIGHTJAR_LOG_LEVEL as LogLevel | undefined) ?? 'info';
if (!(threshold in ORDER)) threshold = 'info';

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEY.test(k) ? '***' : v;
  return out;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function logger(component: string): Logger {
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[threshold]) return;
    const line = { time: new Date().toISOString(), level, component, msg, ...(fields ? redact(fields) : {}) };
    process.stderr.write(JSON.stringify(line) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
