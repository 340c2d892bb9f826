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

const UserAttrs = {
  type: 'record',
  name: 'UserAttrs',
  doc: 'directory (LDAP / Active Directory) attributes of the event user',
  fields: [
    optString('display_name', 'displayName'),
    optString('title', 'title'),
    optString('department', 'department'),
    { name: 'groups', type: { type: 'array', items: 'string' }, default: [], doc: 'group names (memberOf CNs)' },
    optString('manager', 'manager (CN)'),
    { name: 'enabled', type: ['null', 'boolean'], default: null, doc: 'account enabled' },
    optString('dn', 'distinguished name'),
  ],
};

const IntelMatch = {
  type: 'record',
  name: 'IntelMatch',
  doc: 'a threat-intel indicator that matched a field of the event',
  fields: [
    { name: 'indicator', type: 'string', doc: 'the indicator as listed (CIDR, domain, URL, hash)' },
    { name: 'type', type: 'string', doc: 'ip | cidr | domain | url | md5 | sha1 | sha256' },
    { name: 'field', type: 'string', doc: 'the event field that matched' },
    { name: 'sources', type: { type: 'array', items: 'string' }, default: [], doc: 'every feed listing it' },
    { name: 'confidence', type: ['null', 'int'], default: null, doc: 'highest confidence among the feeds, 0-100' },
    { name: 'first_seen', type: ['null', 'long'], default: null, doc: 'earliest first-seen among the feeds, epoch ms' },
    { name: 'last_seen', type: ['null', 'long'], default: null, doc: 'latest last-seen among the feeds, epoch ms' },
  ],
};

const Vuln = {
  type: 'record',
  name: 'Vuln',
  doc: 'a vulnerability a scanner found on the destination host:port',
  fields: [
    optString('cve', 'CVE id'),
    optDouble('cvss', 'CVSS base score'),
    optString('plugin', 'scanner plugin or NVT id'),
    optString('name', 'finding name'),
    { name: 'port', type: 'int' },
    { name: 'scanner', type: 'string', doc: 'nessus | openvas | nmap' },
  ],
};

const Prevalence = {
  type: 'record',
  name: 'Prevalence',
  doc: 'how common the image hash is across the fleet',
  fields: [
    { name: 'hash', type: 'string' },
    { name: 'count', type: 'long', doc: 'executions or loads in the window' },
    { name: 'hosts', type: 'long', doc: 'distinct hosts (HyperLogLog estimate)' },
    { name: 'users', type: 'long', doc: 'distinct users (HyperLogLog estimate)' },
    { name: 'window_days', type: 'int' },
  ],
};

const Rarity = {
  type: 'record',
  name: 'Rarity',
  doc: 'how rare a key of this event is against the batch baseline plus live counts',
  fields: [
    { name: 'kind', type: 'string' },
    { name: 'key', type: 'string' },
    { name: 'events', type: 'long', doc: 'occurrences in the baseline window plus since' },
    { name: 'hosts', type: 'long', doc: 'distinct hosts it was seen on' },
    { name: 'total_hosts', type: 'long', doc: 'hosts in the baseline, to normalise against' },
    { name: 'score', type: 'double', doc: '0 (common) to 1 (never seen)' },
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
    // enrichments added after the first release: appended, with defaults
    { name: 'src_dns_names', type: { type: 'array', items: 'string' }, default: [], doc: 'reverse DNS names of src_ip' },
    { name: 'dst_dns_names', type: { type: 'array', items: 'string' }, default: [], doc: 'reverse DNS names of dst_ip' },
    { name: 'user_attrs', type: ['null', UserAttrs], default: null },
    { name: 'intel', type: { type: 'array', items: IntelMatch }, default: [], doc: 'threat-intel matches' },
    { name: 'vulns', type: { type: 'array', items: Vuln }, default: [], doc: 'known vulnerabilities of dst_ip:dst_port' },
    { name: 'prevalence', type: ['null', Prevalence], default: null },
    { name: 'rarity', type: { type: 'array', items: Rarity }, default: [], doc: 'rarity against the baselines' },
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
