// Smoke test of the project's dbt: `dbt debug` against a DuckDB target and a Trino target,
// with a profiles.yml written for the run (the CLI will generate the same shape).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbtProbe, repoRoot, requireService, services, trinoProbe } from './env.js';

const run = promisify(execFile);

const dbtUp = await requireService('dbt', () => dbtProbe(), 60_000);
const trinoUp = dbtUp && (await requireService('trino', () => trinoProbe()));

describe.runIf(dbtUp)('dbt (project models/)', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'nightjar-dbt-'));
    const trinoUrl = new URL(services.trino.url);
    const profiles = {
      nightjar: {
        target: 'duckdb',
        outputs: {
          duckdb: { type: 'duckdb', path: path.join(workDir, 'nightjar.duckdb'), threads: 1 },
          trino: {
            type: 'trino',
            method: 'none',
            user: services.trino.user,
            host: trinoUrl.hostname,
            port: Number(trinoUrl.port),
            http_scheme: trinoUrl.protocol.replace(':', ''),
            database: services.trino.catalog,
            schema: 'nightjar_dbt',
            threads: 1,
          },
        },
      },
    };
    await writeFile(path.join(workDir, 'profiles.yml'), stringify(profiles));
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Runs `dbt debug` for a target; logs and artefacts go to the temp dir, not the repo. */
  async function dbtDebug(target: string): Promise<string> {
    const { stdout } = await run(
      services.dbt.bin,
      ['debug', '--project-dir', path.join(repoRoot, 'models'), '--profiles-dir', workDir, '--target', target, '--no-version-check'],
      {
        cwd: workDir,
        timeout: 180_000,
        env: {
          ...process.env,
          DBT_LOG_PATH: path.join(workDir, 'logs'),
          DBT_TARGET_PATH: path.join(workDir, 'target'),
          DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
        },
      },
    ).catch((err: { stdout?: string; message: string }) => {
      throw new Error(`dbt debug --target ${target} failed: ${err.message}\n${err.stdout ?? ''}`);
    });
    return stdout;
  }

  it('connects to the DuckDB target', async () => {
    const out = await dbtDebug('duckdb');
    expect(out).toMatch(/dbt_project\.yml file \[.*OK found and valid/);
    expect(out).toMatch(/adapter type: duckdb/);
    expect(out).toMatch(/Connection test: \[.*OK connection ok/);
    expect(out).toMatch(/All checks passed!/);
  });

  it.runIf(trinoUp)('connects to the Trino target', async () => {
    const out = await dbtDebug('trino');
    expect(out).toMatch(/adapter type: trino/);
    expect(out).toMatch(/Connection test: \[.*OK connection ok/);
    expect(out).toMatch(/All checks passed!/);
  });
});
