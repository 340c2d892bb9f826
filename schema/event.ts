/**
 * The Avro schema of a Nightjar event: the single source of truth for fields.
 * Parquet columns (warehouse/lake), SQL table definitions (warehouse/sql) and the
 * TypeScript type `NightjarEvent` (schema/types.ts) derive from it.
 *
 * Evolve by appending fields with defaults only: readers with an older schema then
 * still decode newer events, and Parquet files written before a field existed read
 * as NULL for it.
 */

const optString = (name: string, doc: string) => ({ name, type: ['null', 'string'], default: null, doc });
const optInt = (name: string, doc: string) => ({ name, type: ['null', 'int'], default: null, doc });
const optLong = (name: string, doc: string) => ({ name, type: ['null', 'long'], default: null, doc });
const optDouble = (name: string, doc: string) => ({ name, type: ['null', 'double'], default: null, doc });

const Geo = {
  type: 'record',
  name: 'Geo',
  fields: [
    optString('country', 'ISO 3166 country code'),
    optString('city', 'city name (English)'),
    optDouble('lat', 'latitude'),
    optDouble('lon', 'longitude'),
    optLong('asn', 'autonomous system number'),
    optString('as_org', 'autonomous system organisation'),
  ],
};

const Site = {
  type: 'record',
  name: 'Site',
  fields: [
    { name: 'site', type: 'string', doc: 'internal site name from the CIDR table' },
    optString('location', 'physical location'),
    optString('owner', 'owning team'),
    { name: 'cidr', type: 'string', doc: 'the CIDR that matched' },
  ],
};

const Flag = {
  type: 'record',
  name: 'Flag',
  fields: [
    { name: 'rule', type: 'string', doc: 'stable rule name, e.g. lolbin_execution' },
    { name: 'score', type: 'int', doc: '0-100; higher is more suspicious' },
    { name: 'reason', type: 'string', doc: 'one sentence a human reads at a glance' },
  ],
};

const Stat = {
  type: 'record',
  name: 'Stat',
  fields: [
    { name: 'kind', type: 'string', doc: 'what was counted: logon, process_image, process_hash, parent_child, host_pair' },
    { name: 'key', type: 'string', doc: 'the counted key, e.g. "powershell.exe>rundll32.exe"' },
    { name: 'count', type: 'long', doc: 'occurrences including this event' },
    { name: 'first_seen', type: 'boolean', doc: 'true when this event is the first occurrence' },
  ],
};

export const EVENT_SCHEMA = {
  type: 'record',
  name: 'Event',
  namespace: 'nightjar',
  doc: 'A normalised, enriched security event; the source fields are kept in `fields`.',
  fields: [
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'event time, UTC' },
    { name: 'source', type: 'string', doc: 'windows | zeek | linux | syslog' },
    { name: 'dataset', type: 'string', doc: 'sysmon, security, powershell, zeek.conn, auditd, ...' },
    { name: 'event_type', type: 'string', doc: 'normalised type: process_start, logon, network_connection, dns_query, ...' },
    optInt('event_code', 'the source event id (Windows EventID)'),
    optString('host', 'host name, lower case, short form'),
    optString('host_fqdn', 'fully qualified host name as reported'),
    optString('user', 'user name, lower case, without domain'),
    optString('user_domain', 'domain of the user'),
    optString('src_ip', 'source address'),
    optInt('src_port', 'source port'),
    optString('src_host', 'source host name when the source names it'),
    optString('dst_ip', 'destination address'),
    optInt('dst_port', 'destination port'),
    optString('dst_host', 'destination host name when the source names it'),
    optString('protocol', 'transport or application protocol'),
    optString('process', 'image file name, lower case, e.g. powershell.exe'),
    optString('process_path', 'full image path'),
    optLong('process_id', 'process id'),
    optString('parent_process', 'parent image file name, lower case'),
    optString('parent_path', 'full parent image path'),
    optLong('parent_process_id', 'parent process id'),
    optString('command_line', 'command line'),
    optString('parent_command_line', 'parent command line'),
    optString('target_process_path', 'image of the process acted upon (Sysmon 8, 10)'),
    optString('md5', 'MD5 of the image, lower hex'),
    optString('sha1', 'SHA1 of the image, lower hex'),
    optString('sha256', 'SHA256 of the image, lower hex'),
    optString('imphash', 'import hash of the image, lower hex'),
    optString('integrity_level', 'Windows integrity level'),
    optInt('logon_type', 'Windows logon type'),
    optString('logon_id', 'logon session id'),
    optString('dns_query', 'queried name, lower case'),
    optString('dns_answers', 'answers as the source reports them'),
    optString('registry_key', 'registry key path'),
    optString('registry_value', 'registry value data'),
    optString('file_path', 'file acted upon'),
    optString('url', 'URL requested'),
    optString('outcome', 'success | failure'),
    { name: 'fields', type: { type: 'map', values: 'string' }, default: {}, doc: "the source's own fields, nested names joined with '.'" },
    { name: 'src_geo', type: ['null', Geo], default: null },
    { name: 'dst_geo', type: ['null', 'Geo'], default: null },
    { name: 'src_site', type: ['null', Site], default: null },
    { name: 'dst_site', type: ['null', 'Site'], default: null },
    { name: 'stats', type: { type: 'array', items: Stat }, default: [], doc: 'realtime counts of this event\'s keys' },
    { name: 'flags', type: { type: 'array', items: Flag }, default: [], doc: 'why this event deserves a look' },
    { name: 'origin', type: 'string', doc: 'where the record came from: file path, topic/partition, listener' },
    { name: 'origin_offset', type: 'long', doc: 'line number or offset within the origin' },
  ],
} as const;

export const DEAD_LETTER_SCHEMA = {
  type: 'record',
  name: 'DeadLetter',
  namespace: 'nightjar',
  doc: 'An input that could not be turned into an event, with its original bytes.',
  fields: [
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'when it was dead-lettered' },
    { name: 'stage', type: 'string', doc: 'ingest, normalise, enrich, count, detect, encode, sink' },
    { name: 'code', type: 'string', doc: 'stable error code from core/errors.ts' },
    { name: 'reason', type: 'string', doc: 'human-readable reason' },
    { name: 'source', type: 'string', doc: 'source or format when known, else unknown' },
    { name: 'origin', type: 'string' },
    { name: 'origin_offset', type: 'long' },
    { name: 'raw', type: 'bytes', doc: 'the original bytes, unchanged' },
  ],
} as const;
