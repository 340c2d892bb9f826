/**
 * The stream pipeline: normalise each raw record, then run the stages in order over the
 * batch. Used unchanged by the embedded run (cli/commands/run.ts) and by the Kafka
 * stream workers, so both deployments flag the same events.
 *
 * Invariant: every raw record that enters `process` leaves it either as an event or as
 * a dead letter, never both, never neither.
 */
import type { DeadLetter, NightjarEvent, RawEvent } from '../schema/types.js';
import { asNightjarError, NightjarError } from '../core/errors.js';
import { metrics } from '../core/metrics.js';
import type { Stage } from './stage.js';

export type Normaliser = (raw: RawEvent) => NightjarEvent;

export interface PipelineResult {
  events: NightjarEvent[];
  /** The original bytes of each event, index-aligned with `events` (the encoder needs them for late dead letters). */
  raws: Buffer[];
  deadLetters: DeadLetter[];
}

export function deadLetterFrom(
  raw: { origin: string; origin_offset: number; raw: Buffer },
  stage: string,
  err: NightjarError,
  source: string,
): DeadLetter {
  return {
    ts: Date.now(),
    stage,
    code: err.code,
    reason: err.message,
    source,
    origin: raw.origin,
    origin_offset: raw.origin_offset,
    raw: raw.raw,
  };
}

export class Pipeline {
  constructor(
    private readonly normalise: Normaliser,
    readonly stages: readonly Stage[],
  ) {}

  async process(batch: readonly RawEvent[]): Promise<PipelineResult> {
    const started = performance.now();
    let events: NightjarEvent[] = [];
    let raws: Buffer[] = [];
    const deadLetters: DeadLetter[] = [];

    for (const raw of batch) {
      try {
        events.push(this.normalise(raw));
        raws.push(raw.raw);
      } catch (err) {
        deadLetters.push(deadLetterFrom(raw, 'normalise', asNightjarError(err, 'MALFORMED_RECORD'), raw.format));
      }
    }
    metrics.inc('nightjar_stage_events_in_total', { stage: 'normalise' }, batch.length);
    metrics.inc('nightjar_stage_dead_letters_total', { stage: 'normalise' }, deadLetters.length);
    metrics.observe('nightjar_stage_latency', { stage: 'normalise' }, (performance.now() - started) / 1000);

    for (const stage of this.stages) {
      const t0 = performance.now();
      metrics.inc('nightjar_stage_events_in_total', { stage: stage.name }, events.length);
      let failures;
      try {
        failures = await stage.run(events);
      } catch (err) {
        // A stage that throws for the whole batch has a bug or lost its backend: that is
        // not a property of the events, so it propagates and the batch is retried.
        throw asNightjarError(err, 'STAGE_FAILED');
      }
      if (failures && failures.size > 0) {
        const keptEvents: NightjarEvent[] = [];
        const keptRaws: Buffer[] = [];
        events.forEach((event, i) => {
          const failure = failures.get(i);
          if (failure) {
            deadLetters.push(deadLetterFrom({ ...event, raw: raws[i]! }, stage.name, failure, event.source));
            metrics.inc('nightjar_stage_dead_letters_total', { stage: stage.name });
          } else {
            keptEvents.push(event);
            keptRaws.push(raws[i]!);
          }
        });
        events = keptEvents;
        raws = keptRaws;
      }
      metrics.observe('nightjar_stage_latency', { stage: stage.name }, (performance.now() - t0) / 1000);
    }
    return { events, raws, deadLetters };
  }

  async close(): Promise<void> {
    for (const stage of this.stages) await stage.close?.();
  }
}
