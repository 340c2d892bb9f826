/**
 * Test helpers: read what the generator wrote and derive the keys a rarity pipeline
 * counts, straight from the raw records (independently of the generator's own code).
 */
import { readFileSync } from 'node:fs';

export type WinRecord = Record<string, unknown> & { EventID: number; Channel: string; Hostname: string; EventTime: string };

export function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readWindows(path: string): WinRecord[] {
  return readLines(path).map((l) => JSON.parse(l) as WinRecord);
}

export interface ZeekFile {
  header: string[];
  fields: string[];
  types: string[];
  rows: string[][];
  footer: string[];
}

export function readZeek(path: string): ZeekFile {
  const lines = readLines(path);
  const header: string[] = [];
  const footer: string[] = [];
  const rows: string[][] = [];
  for (const l of lines) {
    if (l.startsWith('#')) (rows.length === 0 ? header : footer).push(l);
    else rows.push(l.split('\t'));
  }
  const field = (name: string): string[] => (header.find((h) => h.startsWith(`#${name}\t`)) ?? '').split('\t').slice(1);
  return { header, fields: field('fields'), types: field('types'), rows, footer };
}

const base = (p: unknown): string => String(p).split('\\').pop()!.toLowerCase();
const shortHost = (h: string): string => h.split('.')[0]!.toLowerCase();

/** kind|key strings in the count stage's formats, from raw Windows and Zeek records. */
export function keysOf(win: readonly WinRecord[], conn: ZeekFile): Set<string> {
  const keys = new Set<string>();
  for (const r of win) {
    if (r.EventID === 1) {
      keys.add(`process_image|${String(r['Image']).toLowerCase()}`);
      keys.add(`parent_child|${base(r['ParentImage'])}>${base(r['Image'])}`);
      const sha = /SHA256=([0-9A-F]{64})/.exec(String(r['Hashes']))?.[1];
      if (sha) keys.add(`process_hash|sha256:${sha.toLowerCase()}`);
    } else if (r.EventID === 3) {
      keys.add(`host_pair|${String(r['SourceIp'])}>${String(r['DestinationIp'])}`);
    } else if (r.EventID === 4624) {
      keys.add(`logon|${String(r['TargetUserName']).toLowerCase()}@${shortHost(r.Hostname)}`);
    }
  }
  const o = conn.fields.indexOf('id.orig_h');
  const d = conn.fields.indexOf('id.resp_h');
  for (const row of conn.rows) keys.add(`host_pair|${row[o]}>${row[d]}`);
  return keys;
}
