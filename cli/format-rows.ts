/** Renders SQL results for the terminal (aligned table), for programs (JSON lines) and for spreadsheets (CSV). */
import type { SqlResult, SqlValue } from '../warehouse/sql/port.js';

export type RowFormat = 'table' | 'json' | 'csv';

function cellText(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function csvCell(v: SqlValue): string {
  const s = cellText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatRows(result: SqlResult, format: RowFormat, maxCellWidth = 60): string {
  const { columns, rows } = result;
  if (format === 'csv') {
    return [columns.map((c) => csvCell(c)).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
  }
  if (format === 'json') {
    return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c, i) => [c, r[i] ?? null])))).join('\n') + (rows.length ? '\n' : '');
  }
  const clip = (s: string) => (s.length > maxCellWidth ? `${s.slice(0, maxCellWidth - 1)}…` : s).replace(/[\r\n\t]/g, ' ');
  const cells = rows.map((r) => r.map((v) => clip(v === null ? 'NULL' : cellText(v))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join(' │ ').trimEnd();
  const out = [line(columns), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return out.join('\n') + '\n';
}
