/**
 * TypeScript shapes of the records in schema/event.ts. Tests check that every event
 * leaving the stages is valid against the Avro schema, so these cannot drift silently.
 */

export interface Geo {
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  as_org: string | null;
}

export interface Site {
  site: string;
  location: string | null;
  owner: string | null;
  cidr: string;
}

export interface Flag {
  rule: string;
  score: number;
  reason: string;
}

export interface Stat {
  kind: string;
  key: string;
  count: number;
  first_seen: boolean;
}

export interface UserAttrs {
  display_name: string | null;
  title: string | null;
  department: string | null;
  groups: string[];
  manager: string | null;
  enabled: boolean | null;
  dn: string | null;
}

export interface IntelMatch {
  indicator: string;
  type: string;
  field: string;
  sources: string[];
  confidence: number | null;
  first_seen: number | null;
  last_seen: number | null;
}

export interface Vuln {
  cve: string | null;
  cvss: number | null;
  plugin: string | null;
  name: string | null;
  port: number;
  scanner: string;
}

export interface Prevalence {
  hash: string;
  count: number;
  hosts: number;
  users: number;
  window_days: number;
}

export interface Rarity {
  kind: string;
  key: string;
  events: number;
  hosts: number;
  total_hosts: number;
  score: number;
}

/**
 * Enrichments added after the first schema version. Optional in TypeScript because
 * the Avro schema gives each a default: an event without them is still valid, and the
 * stage that computes one sets it.
 */
export interface LaterEnrichments {
  src_dns_names?: string[];
  dst_dns_names?: string[];
  user_attrs?: UserAttrs | null;
  intel?: IntelMatch[];
  vulns?: Vuln[];
  prevalence?: Prevalence | null;
  rarity?: Rarity[];
}

/** The normalised common fields; every one is nullable. */
export interface CommonFields {
  event_code: number | null;
  host: string | null;
  host_fqdn: string | null;
  user: string | null;
  user_domain: string | null;
  src_ip: string | null;
  src_port: number | null;
  src_host: string | null;
  dst_ip: string | null;
  dst_port: number | null;
  dst_host: string | null;
  protocol: string | null;
  process: string | null;
  process_path: string | null;
  process_id: number | null;
  parent_process: string | null;
  parent_path: string | null;
  parent_process_id: number | null;
  command_line: string | null;
  parent_command_line: string | null;
  target_process_path: string | null;
  md5: string | null;
  sha1: string | null;
  sha256: string | null;
  imphash: string | null;
  integrity_level: string | null;
  logon_type: number | null;
  logon_id: string | null;
  dns_query: string | null;
  dns_answers: string | null;
  registry_key: string | null;
  registry_value: string | null;
  file_path: string | null;
  url: string | null;
  outcome: string | null;
}

export interface NightjarEvent extends CommonFields, LaterEnrichments {
  /** Event time in epoch milliseconds, UTC. */
  ts: number;
  source: string;
  dataset: string;
  event_type: string;
  fields: Record<string, string>;
  src_geo: Geo | null;
  dst_geo: Geo | null;
  src_site: Site | null;
  dst_site: Site | null;
  stats: Stat[];
  flags: Flag[];
  origin: string;
  origin_offset: number;
}

export interface DeadLetter {
  ts: number;
  stage: string;
  code: string;
  reason: string;
  source: string;
  origin: string;
  origin_offset: number;
  raw: Buffer;
}

/** Formats the parsers understand; `auto` picks one per file or line. */
export type RawFormat = 'windows_flat' | 'windows_evtx' | 'zeek' | 'auditd' | 'syslog';

/**
 * What ingest hands to the stream: one parsed record, not yet normalised.
 * `fields` holds the source's own fields exactly as parsed; `raw` the original bytes,
 * kept so that a later stage can dead-letter the record unchanged.
 */
export interface RawEvent {
  format: RawFormat;
  /** Sub-type within the format, e.g. the Zeek log path (`conn`, `dns`). */
  log_type: string | null;
  fields: Record<string, unknown>;
  origin: string;
  origin_offset: number;
  /** Host name used as partition key on Kafka; null when the parser cannot tell. */
  host_hint: string | null;
  raw: Buffer;
}

/** What identifies a new event; everything else starts empty. */
export type EventBase = Pick<NightjarEvent, 'ts' | 'source' | 'dataset' | 'event_type' | 'fields' | 'origin' | 'origin_offset'>;

/**
 * A new event with every field present and empty, written out as one literal: every
 * event then has the same shape (V8 hidden class) from the start, which keeps the stages'
 * property accesses fast (a spread of partial objects measured noticeably slower in
 * bench/pipeline.ts). Normalisers fill in what they know.
 */
export function newEvent(b: EventBase): NightjarEvent {
  return {
    ts: b.ts, source: b.source, dataset: b.dataset, event_type: b.event_type,
    event_code: null, host: null, host_fqdn: null, user: null, user_domain: null,
    src_ip: null, src_port: null, src_host: null, dst_ip: null, dst_port: null, dst_host: null,
    protocol: null, process: null, process_path: null, process_id: null,
    parent_process: null, parent_path: null, parent_process_id: null,
    command_line: null, parent_command_line: null, target_process_path: null,
    md5: null, sha1: null, sha256: null, imphash: null, integrity_level: null,
    logon_type: null, logon_id: null, dns_query: null, dns_answers: null,
    registry_key: null, registry_value: null, file_path: null, url: null, outcome: null,
    fields: b.fields,
    src_geo: null, dst_geo: null, src_site: null, dst_site: null,
    stats: [], flags: [],
    origin: b.origin,
    origin_offset: b.origin_offset,
    src_dns_names: [], dst_dns_names: [], user_attrs: null, intel: [], vulns: [], prevalence: null, rarity: [],
  };
}
