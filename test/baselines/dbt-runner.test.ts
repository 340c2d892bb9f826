// The dbt wrapper's contract, with stand-in executables: what it passes to dbt, that it
// streams lines, and the two failures (not installed, a model or test failed).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NightjarError } from '../../core/errors.js';
import { dbtArgs, failureSummary, runDbt, DBT_PROJECT_DIR, type DbtRunOptions } from '../../warehouse/baselines/dbt-runner.js';

let dir: string;
const opts = (dbt: string): DbtRunOptions => ({
  dbt, target: 'duckdb', profilesDir: path.join(dir, 'profiles'), workDir: path.join(dir, 'work'),
  vars: { baseline_days: 14, as_of: '2024-03-04', lake_path: '/lake' },
});

async function fakeDbt(name: string, script: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nj-dbt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dbt runner', () => {
  it('points dbt at the project, the profile, the target and the window variables', () => {
    const args = dbtArgs(opts('/x/dbt'));
    expect(args.slice(0, 7)).toEqual(['build', '--project-dir', DBT_PROJECT_DIR, '--profiles-dir', path.join(dir, 'profiles'), '--target', 'duckdb']);
    expect(JSON.parse(args[args.indexOf('--vars') + 1]!)).toEqual({ baseline_days: 14, as_of: '2024-03-04', lake_path: '/lake' });
    expect(args[args.indexOf('--target-path') + 1]).toBe(path.join(dir, 'work', 'target'));
    expect(DBT_PROJECT_DIR.endsWith(`${path.sep}models`)).toBe(true);
  });

  it('fails with DBT_MISSING and how to enable it when dbt is not installed', async () => {
    const err = await runDbt(opts(path.join(dir, 'no-such-dbt'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NightjarError);
    expect((err as NightjarError).code).toBe('DBT_MISSING');
    expect((err as NightjarError).message).toMatch(/not installed at .*no-such-dbt.*npm run setup:dbt/);
  });

  it('streams every line and passes the arguments through', async () => {
    const dbt = await fakeDbt('ok-dbt', 'echo "1 of 2 OK created sql external model main.baseline_keys"; echo "args: $*" >&2; echo "Done. PASS=2 WARN=0 ERROR=0"');
    const seen: string[] = [];
    const result = await runDbt({ ...opts(dbt), onLine: (l) => seen.push(l) });
    expect(result.lines).toEqual(seen);
    expect(seen).toContain('Done. PASS=2 WARN=0 ERROR=0');
    expect(seen.find((l) => l.startsWith('args: '))).toContain('--target duckdb');
  });

  it('fails with DBT_FAILED naming the failed model or test', async () => {
    const dbt = await fakeDbt('failing-dbt', [
      'echo "12:00:01  1 of 3 OK created sql external model main.baseline_process_image"',
      'echo "12:00:02  2 of 3 FAIL 3 unique_baseline_keys_id ............ [FAIL 3 in 0.05s]"',
      'echo "12:00:03  Failure in test unique_baseline_keys_id (baselines/schema.yml)"',
      'echo "12:00:03    Got 3 results, configured to fail if != 0"',
      'echo "12:00:04  Done. PASS=1 WARN=0 ERROR=1 SKIP=1 TOTAL=3"',
      'exit 1',
    ].join('\n'));
    const err = (await runDbt(opts(dbt)).catch((e: unknown) => e)) as NightjarError;
    expect(err.code).toBe('DBT_FAILED');
    expect(err.message).toContain('exit 1');
    expect(err.message).toContain('Failure in test unique_baseline_keys_id');
    expect(err.message).toContain('Got 3 results');
    expect(err.message).not.toContain('OK created');
  });

  it('summarises with the last lines when nothing says what failed', () => {
    expect(failureSummary(['a', 'b', 'Segmentation fault'])).toBe('a\n  b\n  Segmentation fault');
  });
});
