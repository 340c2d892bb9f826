/**
 * A stage takes a batch and works on it in place: enrichments and counters add fields,
 * detections append flags. I/O is per batch (one state-store call per stage per batch).
 * A stage never fails the batch for one bad event: it reports that event's error by
 * index and the pipeline dead-letters it with the original bytes.
 */
import type { NightjarEvent } from '../schema/types.js';
import type { NightjarError } from '../core/errors.js';

export type StageFailures = Map<number, NightjarError>;

export interface Stage {
  readonly name: string;
  run(events: NightjarEvent[]): Promise<StageFailures | void>;
  close?(): Promise<void>;
}
