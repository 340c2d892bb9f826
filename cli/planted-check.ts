/**
 * For the demo: did the pipeline flag each planted attack step? A step counts as caught
 * when an alert carries one of the step's keys among its statistics (or, for steps
 * without keys, is on the step's host and user). Parameterised SQL over the lake.
 */
import type { NightjarConfig } from './config/schema.js';
import { createSqlEngine } from './wire-sql.js';

export interface PlantedStep {
  name: string;
  description: string;
  host: string;
  user?: string;
  keys: { kind: string; key: string }[];
}

export interface PlantedCheck extends PlantedStep {
  caught: boolean;
  rule: string | null;
  reason: string | null;
}

export async function checkPlanted(config: NightjarConfig, planted: readonly PlantedStep[]): Promise<PlantedCheck[]> {
  const engine = await createSqlEngine(config);
  try {
    const out: PlantedCheck[] = [];
    for (const step of planted) {
      let hit: unknown[] | undefined;
      for (const k of step.keys) {
        const r = await engine.query(
          `SELECT f.rule, f.reason FROM (SELECT unnest(flags) AS f, stats FROM alerts
            WHERE list_contains(list_transform(stats, s -> s.kind || '|' || s.key), ?))
           ORDER BY f.score DESC LIMIT 1`,
          [`${k.kind}|${k.key}`],
        );
        hit = r.rows[0];
        if (hit) break;
      }
      if (!hit && step.keys.length === 0) {
        const r = await engine.query(
          `SELECT f.rule, f.reason FROM (SELECT unnest(flags) AS f FROM alerts WHERE host = ? AND (? IS NULL OR "user" = ?)) ORDER BY f.score DESC LIMIT 1`,
          [step.host, step.user ?? null, step.user ?? null],
        );
        hit = r.rows[0];
      }
      out.push({ ...step, caught: hit !== undefined, rule: (hit?.[0] as string) ?? null, reason: (hit?.[1] as string) ?? null });
    }
    return out;
  } finally {
    await engine.close();
  }
}
