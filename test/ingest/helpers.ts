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
