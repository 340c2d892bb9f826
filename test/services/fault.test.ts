// Fault test on the real services: SIGKILL a stream worker and the sink in the middle of
// a run, restart them, and check in Trino that no event is missing from the lake and
// none is duplicated (stream: Kafka transactions; sink: commit after upload, upload log).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testdata } from '../testdata.js';
import { cleanup, count, scaleOutServicesUp, ingest, newRun, startCli, terminate, waitFor, waitForLog, type CliProcess, type ScaleOutRun } from './scaleout-harness.js';

const up = await scaleOutServicesUp();

const INPUTS = [
  testdata('windows/empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.json.gz'),
  testdata('windows/empire_psexec_dcerpc_tcp_svcctl_2020-09-20121608.json.gz'),
  testdata('zeek/apt29_day1/NASHUA_conn.log.gz'),
];

describe.runIf(up)('scale-out fault tolerance: SIGKILL a stream worker and the sink mid-run', () => {
  let run: ScaleOutRun;
  const procs: CliProcess[] = [];
  let published: { events: number; deadLetters: number };
  let landedAtKill = -1;

  const start = (args: string[]) => {
    const p = startCli(run, args);
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    // Small flush interval: many uploads and commits, so the kill lands between them.
    run = await newRun('fault', '1s');
    const w1 = start(['stream', '--worker-id', 'w1']);
    const w2 = start(['stream', '--worker-id', 'w2']);
    const sink = start(['sink']);
    await Promise.all([w1, w2].map((w) => waitForLog(w, 'stream worker running', 60_000)));
    await waitForLog(sink, 'sink running', 90_000);
    published = await ingest(run, INPUTS);
    // Kill once the sink has landed something but (with this much data) not everything.
    await waitFor('first uploads', async () => (await run.s3.list('events/')).length > 0, 120_000, 100);
    w1.child.kill('SIGKILL');
    sink.child.kill('SIGKILL');
    await Promise.all([w1.exited, sink.exited]);
    landedAtKill = await count(run, `SELECT count(*) FROM ${run.id}.events`);
    // Restart under the same worker id: it fences the killed worker's open transaction.
    const w1again = start(['stream', '--worker-id', 'w1']);
    const sinkAgain = start(['sink']);
    await waitForLog(w1again, 'stream worker running', 60_000);
    await waitForLog(sinkAgain, 'sink running', 90_000);
  }, 400_000);

  afterAll(async () => {
    if (run) await cleanup(run, procs);
  }, 120_000);

  it('was killed mid-run', () => {
    expect(published.events).toBeGreaterThan(40_000);
    expect(landedAtKill).toBeLessThan(published.events);
  });

  it('ends with every record in the lake exactly once', async () => {
    const expected = published.events + published.deadLetters;
    const total = `SELECT (SELECT count(*) FROM ${run.id}.events) + (SELECT count(*) FROM ${run.id}.dead_letters)`;
    await waitFor('all records in Trino', async () => (await count(run, total)) >= expected, 300_000, 2_000);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await count(run, total)).toBe(expected);
    // no duplicates: each raw record (origin, line) appears once
    expect(await count(run, `SELECT count(*) - count(DISTINCT (origin, origin_offset)) FROM ${run.id}.events`)).toBe(0);
    expect(await count(run, `SELECT count(*) - count(DISTINCT (origin, origin_offset)) FROM ${run.id}.dead_letters`)).toBe(0);
    expect(await count(run, `SELECT count(*) - count(DISTINCT (origin, origin_offset)) FROM ${run.id}.alerts`)).toBe(0);
  }, 400_000);

  it('the restarted processes drain and exit 0 on SIGTERM', async () => {
    const alive = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    expect(alive).toHaveLength(3);
    expect(await Promise.all(alive.map(terminate))).toEqual([0, 0, 0]);
  }, 120_000);
});
