/**
 * The demo's baseline step: after the history days are in the lake, build baselines over
 * them with dbt on DuckDB and load them into the demo's state, so the last day is judged
 * against them. Without dbt the demo goes on and says in one line how to enable it.
 */
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import { NightjarError } from '../core/errors.js';
import { dbtInstalled } from '../warehouse/baselines/dbt-runner.js';
import type { PublishResult } from '../warehouse/baselines/publish.js';
import { buildFromConfig, dbtPath, describeLoad, loadFromConfig } from './wire-baselines.js';
import { Progress } from './progress.js';

export async function demoBaselines(
  config: NightjarConfig,
  state: StateStore,
  window: { asOf: string; days: number },
  out: NodeJS.WritableStream,
): Promise<PublishResult | null> {
  const cfg: NightjarConfig = { ...config, baselines: { ...config.baselines, engine: 'duckdb', as_of: window.asOf, days: window.days } };
  if (!(await dbtInstalled(dbtPath(cfg)))) {
    out.write('\nBaselines: off (dbt is not installed); run `npm run setup:dbt` with Python 3 to flag the last day against baselines of the history days\n');
    return null;
  }
  const progress = new Progress('baselines (dbt on DuckDB)');
  let steps = 0;
  try {
    const built = await buildFromConfig(cfg, 'duckdb', (line) => {
      const m = /\b(\d+) of (\d+) (?:OK|PASS|START)/.exec(line);
      if (m) progress.update({ done: Math.max(steps, (steps = Number(m[1]))), total: Number(m[2]), unit: 'models and tests' });
    });
    progress.done({ done: steps, total: steps, unit: 'models and tests' });
    const loaded = await loadFromConfig(cfg, 'duckdb', state);
    out.write(`\nBaselines over the history (${window.days} days to ${window.asOf}), built in ${built.seconds.toFixed(1)} s: ${describeLoad(loaded)}\n`);
    return loaded;
  } catch (err) {
    // The demo still shows everything else; the error says what to fix.
    const e = err instanceof NightjarError ? err : new NightjarError('DBT_FAILED', (err as Error).message, { cause: err });
    out.write(`\nBaselines: failed (${e.code}): ${e.message.split('\n').slice(0, 4).join(' ')}; the last day runs without them\n`);
    return null;
  }
}
