/**
 * Realistic NightjarEvents for the lake benchmarks, built from the shared Windows files
 * (../shared/testdata/windows) with a quick field mapping: the source fields go to the
 * `fields` map whole (as the real normaliser keeps them), a handful of common fields are
 * filled, and enrichment-shaped values (geo, site, stats, flags) are synthesised so every
 * nested column carries data. This is not the project's normaliser; it only has to give
 * the Parquet writers the same shape and size of rows the pipeline produces.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { newEvent, type NightjarEvent } from '../schema/types.js';
import { withDefaults } from '../warehouse/lake/defaults.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repo root, whether run from bench/ (tsx) or dist/bench/ (compiled). */
const repoRoot = path.basename(path.dirname(here)) === 'dist' ? path.resolve(here, '../..') : path.resolve(here, '..');
/** NIGHTJAR_TESTDATA overrides where the shared test data lives. */
export const WINDOWS_DIR = path.resolve(process.env['NIGHTJAR_TESTDATA'] ?? path.resolve(repoRoot, '../shared/testdata'), 'windows');

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));
const int = (v: unknown): number | null => {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isSafeInteger(n) ? null : n;
};
const base = (p: string | null) => (p ? (p.split('\\').pop() ?? p).toLowerCase() : null);

function toEvent(rec: Record<string, unknown>, origin: string, offset: number): NightjarEvent {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
  const utc = str(rec['UtcTime']);
  const ts = utc ? Date.parse(`${utc.replace(' ', 'T')}Z`) : Date.parse(String(rec['@timestamp']));
  const image = str(rec['Image']) ?? str(rec['SourceImage']) ?? str(rec['ProcessName']) ?? str(rec['NewProcessName']);
  const parent = str(rec['ParentImage']);
  const hashes = Object.fromEntries((str(rec['Hashes']) ?? '').split(',').map((h) => h.split('=')).filter((p) => p.length === 2).map(([k, v]) => [k!.toLowerCase(), v!.toLowerCase()]));
  const hostFqdn = str(rec['Hostname']);
  const user = str(rec['User'])?.split('\\').pop()?.toLowerCase() ?? str(rec['TargetUserName'])?.toLowerCase() ?? null;
  const e: NightjarEvent = {
    ...newEvent({ ts: 0, source: '', dataset: '', event_type: '', fields: {}, origin: '', origin_offset: 0 }),
    ts: Number.isFinite(ts) ? ts : 0,
    source: 'windows',
    dataset: String(rec['Channel'] ?? 'unknown').toLowerCase().includes('sysmon') ? 'sysmon' : String(rec['Channel'] ?? 'unknown').toLowerCase(),
    event_type: `event_${String(rec['EventID'])}`,
    event_code: int(rec['EventID']),
    host: hostFqdn ? hostFqdn.split('.')[0]!.toLowerCase() : null,
    host_fqdn: hostFqdn,
    user,
    user_domain: str(rec['Domain']),
    src_ip: str(rec['SourceIp']) ?? str(rec['SourceAddress']),
    src_port: int(rec['SourcePort']),
    dst_ip: str(rec['DestinationIp']) ?? str(rec['DestAddress']),
    dst_port: int(rec['DestinationPort']) ?? int(rec['DestPort']),
    process: base(image),
    process_path: image,
    process_id: int(rec['ProcessId']),
    parent_process: base(parent),
    parent_path: parent,
    command_line: str(rec['CommandLine']),
    parent_command_line: str(rec['ParentCommandLine']),
    target_process_path: str(rec['TargetImage']),
    md5: hashes['md5'] ?? null,
    sha1: hashes['sha1'] ?? null,
    sha256: hashes['sha256'] ?? null,
    imphash: hashes['imphash'] ?? null,
    integrity_level: str(rec['IntegrityLevel']),
    logon_type: int(rec['LogonType']),
    registry_key: str(rec['TargetObject']),
    dns_query: str(rec['QueryName'])?.toLowerCase() ?? null,
    fields,
    origin,
    origin_offset: offset,
  };
  // Enrichment-shaped values on a realistic share of events.
  if (e.dst_ip) e.dst_geo = { country: 'US', city: 'Seattle', lat: 47.6, lon: -122.3, asn: 8075, as_org: 'MICROSOFT-CORP' };
  if (e.host) e.src_site = { site: 'hq', location: 'Shire DC1', owner: 'it-ops', cidr: '172.18.39.0/24' };
  if (e.process) e.stats.push({ kind: 'process_image', key: e.process, count: (offset % 977) + 1, first_seen: offset % 977 === 0 });
  if (e.parent_process && e.process) e.stats.push({ kind: 'parent_child', key: `${e.parent_process}>${e.process}`, count: (offset % 211) + 1, first_seen: offset % 211 === 0 });
  if (e.process && /^(cmd|powershell|rundll32|reg|net)\.exe$/.test(e.process)) {
    e.flags.push({ rule: 'lolbin_execution', score: 40, reason: `${e.process} is on the watch list` });
  }
  // Every column present (later enrichments at their Avro defaults), as the LakeWriter hands rows to encoders.
  return withDefaults('events', e);
}

/** Loads every shared Windows event, then repeats them (shifting offsets) up to `rows`. */
export function loadWindowsEvents(rows: number): NightjarEvent[] {
  const base: NightjarEvent[] = [];
  for (const file of readdirSync(WINDOWS_DIR).filter((f) => f.endsWith('.json.gz')).sort()) {
    const lines = gunzipSync(readFileSync(path.join(WINDOWS_DIR, file))).toString('utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() !== '') base.push(toEvent(JSON.parse(line) as Record<string, unknown>, `windows/${file}`, i + 1));
    });
  }
  if (base.length === 0) throw new Error(`no events in ${WINDOWS_DIR}`);
  const out: NightjarEvent[] = [];
  for (let i = 0; i < rows; i++) {
    const e = base[i % base.length]!;
    out.push(i < base.length ? e : { ...e, origin_offset: e.origin_offset + Math.floor(i / base.length) * 1_000_000 });
  }
  return out;
}
