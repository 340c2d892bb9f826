/**
 * The stream worker's per-batch work, independent of the transport: decode the raw
 * envelopes of one consumed batch, run the same Pipeline as the embedded run, Avro-encode
 * the events, and hand every output (events, flagged events again as alerts, dead
 * letters with their original bytes) together with the input offset to commit to an
 * output that publishes and commits them atomically (a Kafka transaction in scale-out).
 *
 * Accounting per batch: records in = events out + dead letters out, checked.
 */
import { asNightjarError, type NightjarError } from '../core/errors.js';
import { metrics } from '../core/metrics.js';
import { encodeEvent } from '../schema/avro.js';
import type { DeadLetter, NightjarEvent, RawEvent } from '../schema/types.js';
import type { TransportRecord } from '../transport/port.js';
import { decodeRawEnvelope, originalBytesOf } from '../transport/raw-envelope.js';
import { deadLetterRecord } from '../transport/dead-letter-record.js';
import { deadLetterFrom, type Pipeline } from './pipeline.js';

export interface WorkerRecord {
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
  offset: string;
}

export interface WorkerBatch {
  topic: string;
  partition: number;
  records: readonly WorkerRecord[];
}

export interface WorkerTopics {
  events: string;
  alerts: string;
  dlq: string;
  /** Raw topics are `<rawPrefix><source>`; the source names undecodable records. */
  rawPrefix: string;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  /** The next offset to read. */
  offset: string;
}

export interface WorkerOutput {
  /** Publishes the records and commits the offset; resolves once both are acknowledged. */
  publish(records: readonly TransportRecord[], commit: OffsetToCommit): Promise<void>;
}

export interface BatchOutcome {
  records: number;
  events: number;
  alerts: number;
  deadLetters: number;
}

/** Decodes a batch's envelopes; a record that does not decode becomes a dead letter, whole. */
export function decodeBatch(batch: WorkerBatch, rawPrefix: string): { raws: RawEvent[]; deadLetters: DeadLetter[] } {
  const raws: RawEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  const source = batch.topic.startsWith(rawPrefix) ? batch.topic.slice(rawPrefix.length) : batch.topic;
  for (const r of batch.records) {
    try {
      raws.push(decodeRawEnvelope(r.value));
    } catch (err) {
      const origin = { origin: `${batch.topic}/${batch.partition}`, origin_offset: Number(r.offset), raw: originalBytesOf(r.value) };
      deadLetters.push(deadLetterFrom(origin, 'decode', asNightjarError(err, 'MALFORMED_RECORD'), source));
    }
  }
  return { raws, deadLetters };
}

/**
 * Encodes the events; one that does not fit the schema becomes a dead letter with its
 * original bytes instead of failing the batch.
 */
export function encodeEvents(events: readonly NightjarEvent[], raws: readonly Buffer[]): { encoded: { event: NightjarEvent; value: Buffer }[]; deadLetters: DeadLetter[] } {
  const encoded: { event: NightjarEvent; value: Buffer }[] = [];
  const deadLetters: DeadLetter[] = [];
  events.forEach((event, i) => {
    try {
      encoded.push({ event, value: encodeEvent(event) });
    } catch (err) {
      deadLetters.push(deadLetterFrom({ ...event, raw: raws[i]! }, 'encode', asNightjarError(err, 'SCHEMA_VIOLATION') as NightjarError, event.source));
    }
  });
  return { encoded, deadLetters };
}

export class StreamWorker {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly output: WorkerOutput,
    private readonly topics: WorkerTopics,
  ) {}

  /** Processes one batch end to end; throws (and commits nothing) when a stage or the output fails. */
  async handle(batch: WorkerBatch): Promise<BatchOutcome> {
    if (batch.records.length === 0) return { records: 0, events: 0, alerts: 0, deadLetters: 0 };
    const decoded = decodeBatch(batch, this.topics.rawPrefix);
    const result = await this.pipeline.process(decoded.raws);
    const { encoded, deadLetters: encodeFailures } = encodeEvents(result.events, result.raws);
    const deadLetters = [...decoded.deadLetters, ...result.deadLetters, ...encodeFailures];

    const out: TransportRecord[] = [];
    let alerts = 0;
    for (const { event, value } of encoded) {
      const key = event.host ?? null;
      out.push({ topic: this.topics.events, key, value });
      if (event.flags.length > 0) {
        out.push({ topic: this.topics.alerts, key, value });
        alerts++;
      }
    }
    for (const d of deadLetters) out.push(deadLetterRecord(d, this.topics.dlq));

    if (encoded.length + deadLetters.length !== batch.records.length) {
      throw new Error(`accounting mismatch in ${batch.topic}/${batch.partition}: ${batch.records.length} records in, ${encoded.length} events + ${deadLetters.length} dead letters out`);
    }
    const last = batch.records[batch.records.length - 1]!.offset;
    await this.output.publish(out, { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() });
    metrics.inc('nightjar_worker_records_total', { topic: batch.topic }, batch.records.length);
    metrics.inc('nightjar_worker_events_total', {}, encoded.length);
    metrics.inc('nightjar_worker_dead_letters_total', {}, deadLetters.length);
    return { records: batch.records.length, events: encoded.length, alerts, deadLetters: deadLetters.length };
  }
}
