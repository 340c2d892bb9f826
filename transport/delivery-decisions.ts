/**
 * Delivery decisions as pure functions, kept apart from the Kafka client so they have
 * their own tests (after Vector's finalisers and Tenzir's offset-commit logic):
 * when to retry a send, how long to wait, and which offset may be committed.
 */

/** What to do after a failed produce or transaction. */
export type SendFailure = 'retry' | 'fatal';

/**
 * A broker outage, a leader election, a coordinator moving: wait and retry, however
 * long it takes (nothing is dropped). A record the broker will never accept (too
 * large, invalid, not authorised): fatal, retrying cannot help.
 */
export function classifySendError(err: unknown): SendFailure {
  const e = err as { name?: string; retriable?: boolean; type?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return 'retry';
  const FATAL_TYPES = new Set([
    'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TOPIC_EXCEPTION',
    'TOPIC_AUTHORIZATION_FAILED', 'CLUSTER_AUTHORIZATION_FAILED', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
    'INVALID_REQUIRED_ACKS', 'UNSUPPORTED_COMPRESSION_TYPE', 'UNSUPPORTED_VERSION', 'INVALID_TRANSACTION_TIMEOUT',
  ]);
  if (e.type && FATAL_TYPES.has(e.type)) return 'fatal';
  // kafkajs wraps the broker's error as the cause of "retries exhausted"; look inside.
  if (e.cause && typeof e.cause === 'object' && classifySendError(e.cause) === 'fatal') return 'fatal';
  // Producer fencing means another worker with our transactional id took over: stop.
  if (e.type === 'INVALID_PRODUCER_EPOCH' || e.type === 'PRODUCER_FENCED' || e.name === 'KafkaJSProducerFenced') return 'fatal';
  return 'retry';
}

/** Exponential backoff with a cap and full jitter in [cap/2, cap]; `random` for tests. */
export function backoffMs(attempt: number, baseMs = 200, maxMs = 10_000, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap * (0.5 + random() / 2));
}

/** One Kafka partition's progress. Offsets are decimal strings (int64). */
export interface PartitionProgress {
  topic: string;
  partition: number;
  /** Offset already committed for the group (the next one to read), or null. */
  committed: string | null;
}

/**
 * The offset to commit after a batch whose last record is `lastOffset`: the next one to
 * read. Null when it would not move the committed offset forward (a replayed or stale
 * batch must never move it back).
 */
export function commitAfter(progress: PartitionProgress, lastOffset: string): string | null {
  const next = BigInt(lastOffset) + 1n;
  if (progress.committed !== null && next <= BigInt(progress.committed)) return null;
  return next.toString();
}

/**
 * A sink buffers records of several batches before one upload; records of one
 * partition are flushed together. The buffer is due when it holds `maxRows` rows or its
 * oldest record has waited `maxAgeMs`, or the consumer is stopping.
 */
export function flushDue(buffer: { rows: number; oldestAtMs: number | null }, nowMs: number, limits: { maxRows: number; maxAgeMs: number }, stopping = false): boolean {
  if (buffer.rows === 0 || buffer.oldestAtMs === null) return false;
  if (stopping) return true;
  return buffer.rows >= limits.maxRows || nowMs - buffer.oldestAtMs >= limits.maxAgeMs;
}

/**
 * After a (re)assignment a sink replays from the committed offset; uploads that an
 * earlier owner made from that offset on were never committed and must go before the
 * replay writes its own (their offset ranges may differ, so their names may too).
 * Given the recorded uploads of a partition (first/last offsets) and the first offset
 * of the replay's first flush, returns the uploads to delete and those merely stale.
 */
export function uncommittedUploads<T extends { first: bigint; last: bigint }>(uploads: readonly T[], replayFirst: bigint): { remove: T[]; forget: T[] } {
  const remove: T[] = [];
  const forget: T[] = [];
  for (const u of uploads) (u.first >= replayFirst ? remove : forget).push(u);
  return { remove, forget };
}
