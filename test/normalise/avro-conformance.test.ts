import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA } from '../../schema/event.js';
import { normalise } from '../../stream/normalise/index.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { testdata } from '../testdata.js';

const eventType = avro.Type.forSchema(EVENT_SCHEMA as unknown as avro.Schema);

describe('every normalised event of the shared data conforms to the Avro schema', () => {
  for (const folder of ['windows', 'zeek', 'linux', 'sigma/regression_data']) {
    it(`${folder}`, async () => {
      let events = 0;
      let failures = 0;
      const problems = new Map<string, number>();
      for await (const b of readInputs([testdata(folder)], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2000 })) {
        expect(b.deadLetters).toEqual([]);
        for (const raw of b.events) {
          const e = normalise(raw);
          events++;
          const ok = eventType.isValid(e, {
            errorHook: (path) => {
              const k = `${path.join('.')} (${raw.origin}:${raw.origin_offset})`;
              problems.set(k, (problems.get(k) ?? 0) + 1);
            },
          });
          if (!ok) failures++;
        }
      }
      expect([...problems.keys()].slice(0, 5)).toEqual([]);
      expect(failures).toBe(0);
      expect(events).toBeGreaterThan(0);
    }, 240_000);
  }
});
