/**
 * The error catalogue: every failure Nightjar reports has a stable code, a human
 * message, an optional cause, and whether retrying can help. Retry loops consult
 * `retriable`; dead letters record `code`.
 */

export const ERROR_CODES = {
  // input: the record itself is bad; never retriable
  MALFORMED_JSON: { retriable: false, summary: 'the line is not valid JSON' },
  MALFORMED_RECORD: { retriable: false, summary: 'the record does not match its format' },
  UNKNOWN_FORMAT: { retriable: false, summary: 'no parser recognises the record' },
  OVERSIZED_EVENT: { retriable: false, summary: 'the record exceeds the configured size limit' },
  INVALID_UTF8: { retriable: false, summary: 'the record is not valid UTF-8' },
  INVALID_FIELD: { retriable: false, summary: 'a field has the wrong type or value' },
  SCHEMA_VIOLATION: { retriable: false, summary: 'the event does not conform to the Avro schema' },
  STAGE_FAILED: { retriable: false, summary: 'a stage failed on this event' },
  // configuration and local resources: fix and restart
  CONFIG_INVALID: { retriable: false, summary: 'the configuration is invalid' },
  CONFIG_UNREADABLE: { retriable: false, summary: 'the configuration file cannot be read' },
  INPUT_UNREADABLE: { retriable: false, summary: 'an input path cannot be read' },
  GEOIP_DATABASE_INVALID: { retriable: false, summary: 'a MaxMind database cannot be opened' },
  SITES_CSV_INVALID: { retriable: false, summary: 'the internal sites CSV is invalid' },
  INTEL_FEED_INVALID: { retriable: false, summary: 'a threat-intel feed cannot be read or parsed' },
  SCAN_REPORT_INVALID: { retriable: false, summary: 'a vulnerability scan report cannot be read or parsed' },
  SQL_FAILED: { retriable: false, summary: 'the SQL query failed' },
  DBT_MISSING: { retriable: false, summary: 'dbt is not installed' },
  DBT_FAILED: { retriable: false, summary: 'a dbt run failed' },
  // services: transient by nature
  SERVICE_UNAVAILABLE: { retriable: true, summary: 'a service is unreachable' },
  OBJECT_STORE_FAILED: { retriable: true, summary: 'an object store request failed' },
  STATE_STORE_FAILED: { retriable: true, summary: 'a state store request failed' },
  TRANSPORT_FAILED: { retriable: true, summary: 'a transport request failed' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class NightjarError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NightjarError';
    this.code = code;
    this.retriable = options?.retriable ?? ERROR_CODES[code].retriable;
  }
}

/** Wraps anything thrown into a NightjarError, keeping the original as cause. */
export function asNightjarError(err: unknown, fallback: ErrorCode): NightjarError {
  if (err instanceof NightjarError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new NightjarError(fallback, message, { cause: err });
}

/**
 * Retries `fn` while it throws retriable errors, with exponential backoff and jitter.
 * Non-retriable errors propagate at once.
 */
export async function withRetry<T>(
  fn: () => Promise<T>,
  opts: { attempts?: number; baseMs?: number; maxMs?: number; fallback?: ErrorCode; onRetry?: (err: NightjarError, attempt: number) => void } = {},
): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const baseMs = opts.baseMs ?? 100;
  const maxMs = opts.maxMs ?? 5_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      const err = asNightjarError(raw, opts.fallback ?? 'SERVICE_UNAVAILABLE');
      if (!err.retriable || attempt >= attempts) throw err;
      opts.onRetry?.(err, attempt);
      const delay = Math.min(maxMs, baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
