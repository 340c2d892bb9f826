import { describe, expect, it } from 'vitest';
import { PrevalenceStage, describePrevalence } from '../../stream/enrich/prevalence-stage.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import type { StateStore } from '../../stream/state/port.js';
import { makeEvent } from '../fixtures/event.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 10, 12);
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

const exec = (sha256: string, host: string, user: string, ts = T0) => makeEvent({ event_type: 'process_start', sha256, host, user, user_domain: 'CORP', ts });

describe('PrevalenceStage', () => {
  it('counts executions, distinct hosts and users per hash, running within a batch', async () => {
    const stage = new PrevalenceStage(new MemoryStateStore(), 7);
    const batch = [exec(A, 'ws1', 'alice'), exec(A, 'ws2', 'alice'), exec(B, 'ws1', 'bob'), exec(A, 'WS1', 'Bob')];
    await stage.run(batch);
    expect(batch.map((e) => e.prevalence)).toEqual([
      { hash: A, count: 1, hosts: 2, users: 2, window_days: 7 },
      { hash: A, count: 2, hosts: 2, users: 2, window_days: 7 },
      { hash: B, count: 1, hosts: 1, users: 1, window_days: 7 },
      { hash: A, count: 3, hosts: 2, users: 2, window_days: 7 },
    ]);
    const next = [exec(A, 'ws3', 'carol')];
    await stage.run(next);
    expect(next[0]!.prevalence).toEqual({ hash: A, count: 4, hosts: 3, users: 3, window_days: 7 });
    expect(describePrevalence(next[0]!.prevalence!)).toBe('seen 4 times on 3 hosts by 3 users in the last 7 days');
  });

  it('sums day buckets over the window and forgets what is older', async () => {
    const stage = new PrevalenceStage(new MemoryStateStore(), 3);
    await stage.run([exec(A, 'h1', 'u1', T0 - 5 * DAY)]); // outside a 3-day window ending on T0
    await stage.run([exec(A, 'h2', 'u2', T0 - 2 * DAY), exec(A, 'h3', 'u2', T0 - DAY)]);
    const now = [exec(A, 'h2', 'u3', T0)];
    await stage.run(now);
    expect(now[0]!.prevalence).toEqual({ hash: A, count: 3, hosts: 2, users: 2, window_days: 3 });
    const late = [exec(A, 'h9', 'u9', T0 - 4 * DAY)]; // a late event sees its own window
    await stage.run(late);
    expect(late[0]!.prevalence).toMatchObject({ count: 2, hosts: 2 }); // days T0-6 … T0-4: h1 (T0-5) and itself
  });

  it('counts executions and module loads apart, and leaves events without a hash alone', async () => {
    const stage = new PrevalenceStage(new MemoryStateStore(), 7);
    const batch = [
      exec(A, 'h1', 'u1'),
      makeEvent({ event_type: 'image_load', sha256: A, host: 'h1', user: 'u1' }),
      makeEvent({ event_type: 'image_load', sha1: 'C'.repeat(40), host: 'h2', user: null }),
      makeEvent({ event_type: 'process_start', host: 'h1' }),
      makeEvent({ event_type: 'network_connection', sha256: A }),
    ];
    await stage.run(batch);
    expect(batch.map((e) => e.prevalence ?? null)).toEqual([
      { hash: A, count: 1, hosts: 1, users: 1, window_days: 7 },
      { hash: A, count: 1, hosts: 1, users: 1, window_days: 7 },
      { hash: 'c'.repeat(40), count: 1, hosts: 1, users: 0, window_days: 7 },
      null,
      null,
    ]);
  });

  it('makes four state calls per batch whatever its size', async () => {
    const store = new MemoryStateStore();
    const calls: string[] = [];
    const spy = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (...args: unknown[]) => (calls.push(String(prop)), v.apply(target, args)) : v;
      },
    }) as StateStore;
    const stage = new PrevalenceStage(spy, 7);
    await stage.run(Array.from({ length: 500 }, (_, i) => exec(i % 2 ? A : B, `h${i % 37}`, `u${i % 11}`, T0 + i)));
    expect(calls.sort()).toEqual(['hllAdd', 'hllCountUnion', 'zScores', 'zUpdate']);
  });
});
