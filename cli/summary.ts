/** The human summary printed after `nightjar run` and `nightjar demo`. */
import type { RunTotals } from './embedded-run.js';

const n = (x: number) => x.toLocaleString('en-US');

export function formatSummary(t: RunTotals, opts: { lake: string; topFlags?: number }): string {
  const lines: string[] = [];
  const rate = t.seconds > 0 ? t.read / t.seconds : 0;
  lines.push(`Processed ${n(t.read)} records in ${t.seconds.toFixed(1)} s (${n(Math.round(rate))} events/s)`);
  lines.push(`  read ${n(t.read)} = landed ${n(t.landed)} + dead-lettered ${n(t.deadLettered)}`);
  const sources = Object.entries(t.bySource).sort((a, b) => b[1] - a[1]);
  if (sources.length) lines.push(`  events per source: ${sources.map(([s, c]) => `${s} ${n(c)}`).join(', ')}`);
  const codes = Object.entries(t.deadLettersByCode).sort((a, b) => b[1] - a[1]);
  if (codes.length) lines.push(`  dead letters by reason: ${codes.map(([c, k]) => `${c} ${n(k)}`).join(', ')}`);
  const pct = t.landed ? ((100 * t.flaggedEvents) / t.landed).toFixed(2) : '0.00';
  lines.push(`  flagged events: ${n(t.flaggedEvents)} (${pct}% of events)`);
  const top = [...t.flags.values()].sort((a, b) => b.maxScore - a.maxScore || b.count - a.count).slice(0, opts.topFlags ?? 10);
  if (top.length) {
    lines.push('', 'Top flags (highest score first):');
    for (const f of top) {
      lines.push(`  ${f.rule.padEnd(28)} score ${String(f.maxScore).padStart(3)}  ×${n(f.count)}`);
      for (const ex of f.examples.slice(0, 2)) lines.push(`      e.g. ${ex}`);
    }
  }
  lines.push('', `Lake: ${opts.lake}  (tables: events, alerts, dead_letters)`);
  return lines.join('\n');
}

export function sampleSqlCommand(dataDir: string): string {
  const dir = dataDir === './data' || dataDir === 'data' ? '' : ` --data-dir ${dataDir}`;
  return `npx nightjar sql${dir} "SELECT f.rule, count(*) AS events FROM (SELECT unnest(flags) AS f FROM alerts) GROUP BY 1 ORDER BY 2 DESC"`;
}
