/** Collects everything readInputs yields for the given inputs. */
import { readInputs, type ReadInputsOptions } from '../../ingest/read-inputs.js';
import type { DeadLetter, RawEvent } from '../../schema/types.js';

export async function readAll(inputs: string[], opts: Partial<ReadInputsOptions> = {}): Promise<{ events: RawEvent[]; deadLetters: DeadLetter[]; batches: number }> {
  const events: RawEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  let batches = 0;
  for await (const b of readInputs(inputs, { format: 'auto', maxEventBytes: 1 << 20, batchSize: 1000, ...opts })) {
    batches++;
    events.push(...b.events);
    deadLetters.push(...b.deadLetters);
  }
  return { events, deadLetters, batches };
}

/** The first `n` events of one input, without reading the rest. */
export async function firstEvents(input: string, n: number): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const b of readInputs([input], { format: 'auto', maxEventBytes: 1 << 20, batchSize: n })) {
    out.push(...b.events);
    if (out.length >= n) break;
  }
  return out.slice(0, n);
}
