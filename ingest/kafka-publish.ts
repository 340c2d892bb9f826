/**
 * Publishes what ingest read to the raw topics: each RawEvent in a raw envelope to
 * `<rawPrefix><source>`, keyed by host so one host's events stay in order on one
 * partition; each ingest dead letter straight to the DLQ. The producer batches,
 * compresses and waits out broker outages; `publishBatch` resolves once the broker has
 * acknowledged every record.
 */
import type { DeadLetter, RawEvent } from '../schema/types.js';
import type { Producer, TransportRecord } from '../transport/port.js';
import { encodeRawEnvelope, rawSourceOf } from '../transport/raw-envelope.js';
import { deadLetterRecord } from '../transport/dead-letter-record.js';

export interface RawTopics {
  rawPrefix: string;
  dlq: string;
}

export interface PublishCounts {
  events: number;
  deadLetters: number;
  bySource: Record<string, number>;
}

export function rawTopicOf(event: RawEvent, topics: RawTopics): string {
  return topics.rawPrefix + rawSourceOf(event.format);
}

export function rawRecords(events: readonly RawEvent[], deadLetters: readonly DeadLetter[], topics: RawTopics): TransportRecord[] {
  const out: TransportRecord[] = [];
  for (const e of events) out.push({ topic: rawTopicOf(e, topics), key: e.host_hint, value: encodeRawEnvelope(e) });
  for (const d of deadLetters) out.push(deadLetterRecord(d, topics.dlq));
  return out;
}

export async function publishBatch(
  producer: Producer,
  batch: { events: readonly RawEvent[]; deadLetters: readonly DeadLetter[] },
  topics: RawTopics,
  counts: PublishCounts,
): Promise<void> {
  await producer.send(rawRecords(batch.events, batch.deadLetters, topics));
  counts.events += batch.events.length;
  counts.deadLetters += batch.deadLetters.length;
  for (const e of batch.events) {
    const s = rawSourceOf(e.format);
    counts.bySource[s] = (counts.bySource[s] ?? 0) + 1;
  }
}
