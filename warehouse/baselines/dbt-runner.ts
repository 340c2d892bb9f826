/**
 * Runs the project's dbt (models/) as a child process: the right target and variables,
 * each output line handed to the caller as it comes (dbt prints one line per model and
 * test), and a clear error when dbt is not installed (DBT_MISSING) or a model or test
 * fails (DBT_FAILED, naming what failed).
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NightjarError } from '../../core/errors.js';
import type { BaselineEngine } from './profiles.js';

/** models/ of this checkout (two levels up from warehouse/baselines, compiled or not). */
export const DBT_PROJECT_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..', 'models').replace(/[\\/]dist[\\/]models$/, '/models');

/** Where scripts/setup-dbt.sh (and scripts/services/dbt.sh) install dbt, unless NIGHTJAR_DBT says otherwise. */
export function defaultDbtPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NIGHTJAR_DBT || join(homedir(), '.cache', 'nightjar', 'dbt-venv', 'bin', 'dbt');
}

export const ENABLE_DBT_HINT = 'run `npm run setup:dbt` (needs Python 3) or set baselines.dbt / NIGHTJAR_DBT to a dbt with dbt-duckdb and dbt-trino';

export interface DbtVars {
  baseline_days: number;
  /** YYYY-MM-DD, exclusive end of the window; omitted: tomorrow. */
  as_of?: string;
  lake_path?: string;
  lake_catalog?: string;
  lake_schema?: string;
}

export interface DbtRunOptions {
  dbt: string;
  /** build (models and their tests), run, test, or debug. */
  command?: 'build' | 'run' | 'test' | 'debug';
  target: BaselineEngine;
  profilesDir: string;
  /** Scratch folder for dbt's target/ and logs/, so concurrent runs do not share them. */
  workDir: string;
  vars: DbtVars;
  projectDir?: string;
  /** Each line dbt prints (stdout and stderr), without the newline. */
  onLine?: (line: string) => void;
  /** Extra environment for dbt. */
  env?: NodeJS.ProcessEnv;
}

export interface DbtRunResult {
  lines: string[];
  seconds: number;
}

/** True when the file exists and is executable. */
export async function dbtInstalled(dbt: string): Promise<boolean> {
  try {
    await access(dbt, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The arguments of one dbt invocation. */
export function dbtArgs(opts: DbtRunOptions): string[] {
  const command = opts.command ?? 'build';
  const args = [command, '--project-dir', opts.projectDir ?? DBT_PROJECT_DIR, '--profiles-dir', opts.profilesDir, '--target', opts.target];
  if (command !== 'debug') {
    const vars = Object.fromEntries(Object.entries(opts.vars).filter(([, v]) => v !== undefined && v !== null));
    args.push('--vars', JSON.stringify(vars), '--target-path', join(opts.workDir, 'target'));
  }
  return args;
}

/**
 * The lines that say what failed: dbt prints "Failure in test …", "Database Error in
 * model …", "Compilation Error …" and a final "Done. PASS=… ERROR=…" summary.
 */
export function failureSummary(lines: readonly string[]): string {
  const interesting = lines.filter((l) => /\b(ERROR|FAIL|Error in|Failure in|Compilation Error|Runtime Error|Got \d+ results?)\b/.test(l) && !/\bPASS=\d+ WARN=\d+ ERROR=0\b/.test(l));
  const picked = (interesting.length > 0 ? interesting : lines.slice(-10)).map((l) => l.replace(/^\S*\d\d:\d\d:\d\d\s+/, '').trim()).filter(Boolean);
  return [...new Set(picked)].slice(0, 12).join('\n  ');
}

export async function runDbt(opts: DbtRunOptions): Promise<DbtRunResult> {
  if (!(await dbtInstalled(opts.dbt))) {
    throw new NightjarError('DBT_MISSING', `dbt is not installed at ${opts.dbt}; ${ENABLE_DBT_HINT}`);
  }
  const started = performance.now();
  const lines: string[] = [];
  const args = dbtArgs(opts);
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(opts.dbt, args, {
      env: {
        ...process.env,
        DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
        DBT_LOG_PATH: join(opts.workDir, 'logs'),
        DBT_USE_COLORS: 'false',
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) emit(line);
      });
      stream.on('end', () => rest && emit(rest));
    };
    const emit = (line: string) => {
      const clean = line.replace(/\r$/, '');
      lines.push(clean);
      opts.onLine?.(clean);
    };
    take(child.stdout);
    take(child.stderr);
    child.on('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'ENOENT' || err.code === 'EACCES'
          ? new NightjarError('DBT_MISSING', `dbt cannot be started (${opts.dbt}: ${err.code}); ${ENABLE_DBT_HINT}`, { cause: err })
          : new NightjarError('DBT_FAILED', `dbt could not be started: ${err.message}`, { cause: err }),
      ),
    );
    child.on('close', (status, signal) => done(status ?? (signal ? 128 : 1)));
  });
  if (code !== 0) {
    throw new NightjarError('DBT_FAILED', `dbt ${args[0]} --target ${opts.target} failed (exit ${code}):\n  ${failureSummary(lines)}`);
  }
  return { lines, seconds: (performance.now() - started) / 1000 };
}
