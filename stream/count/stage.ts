/**
 * Realtime statistics: counts every key of every event in the state store, one batched
 * increment per batch, and records on the event how often each key has been seen and
 * whether this is the first time. Flags are raised later, by the detect stage, which
 * knows whether the state has enough history for "first time" to mean anything.
 */
import type { NightjarEvent } from '../../schema/types.js';
import type { StateStore } from '../state/port.js';
import type { Stage } from '../stage.js';
import { stateKey, statKeys, type StatKey } from './keys.js';

export class CountStage implements Stage {
  readonly name = 'count';

  constructor(private readonly state: StateStore) {}

  async run(events: NightjarEvent[]): Promise<void> {
    const perEvent: StatKey[][] = new Array(events.length);
    const flat: string[] = [];
    for (let i = 0; i < events.length; i++) {
      const keys = statKeys(events[i]!);
      perEvent[i] = keys;
      for (const k of keys) flat.push(stateKey(k));
    }
    if (flat.length === 0) return;
    // Increments of a repeated key come back in order, so within a batch exactly one
    // event sees count 1 for a new key, as it would had the events come one by one.
    const counts = await this.state.increment(flat);
    let j = 0;
    for (let i = 0; i < events.length; i++) {
      const keys = perEvent[i]!;
      if (keys.length === 0) continue;
      const stats = events[i]!.stats;
      for (const k of keys) {
        const count = counts[j++]!;
        stats.push({ kind: k.kind, key: k.key, count, first_seen: count === 1 });
      }
    }
  }
}
