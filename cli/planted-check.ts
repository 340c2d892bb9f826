/**
 * For the demo: did the pipeline flag each planted attack step? A step counts as caught
 * when an alert carries one of the step's keys among its statistics, or is on the step's
 * host by its user; the strongest such flag is shown.
 * Parameterised SQL over the lake.
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
      // the strongest flag on any alert that carries one of the step's keys
      let hit: unknown[] | undefined;
      for (const k of step.keys) {
        const r = await engine.query(
          `SELECT f.rule, f.reason, f.score FROM (SELECT unnest(flags) AS f, stats FROM alerts
            WHERE list_contains(list_transform(stats, s -> s.kind || '|' || s.key), ?))
           ORDER BY f.score DESC LIMIT 1`,
          [`${k.kind}|${k.key}`],
        );
        const row = r.rows[0];
        if (row && (!hit || (row[2] as number) > (hit[2] as number))) hit = row;
      }
      // and any alert on the step's host by its user (a spray is judged by its logons, not keys)
      if (step.user || step.keys.length === 0) {
        const r = await engine.query(
          `SELECT f.rule, f.reason, f.score FROM (SELECT unnest(flags) AS f FROM alerts WHERE host = ? AND (? IS NULL OR "user" = ?)) ORDER BY f.score DESC LIMIT 1`,
          [step.host, step.user ?? null, step.user ?? null],
        );
        const row = r.rows[0];
        if (row && (!hit || (row[2] as number) > (hit[2] as number))) hit = row;
      }
      out.push({ ...step, caught: hit !== undefined, rule: (hit?.[0] as string) ?? null, reason: (hit?.[1] as string) ?? null });
    }
    return out;
  } finally {
    await engine.close();
  }
}
