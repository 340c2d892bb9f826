/**
 * Zeek conn.log and dns.log rows in Zeek's TSV format, headers exactly as Zeek writes
 * them (see testdata/zeek/lsass_campaign_01/conn.log.gz):
 *
 *   #separator \x09
 *   #set_separator	,
 *   #empty_field	(empty)
 *   #unset_field	-
 *   #path	conn
 *   #open	2023-08-16-01-28-55
 *   #fields	ts	uid	id.orig_h	…
 *   #types	time	string	addr	…
 *   …rows…
 *   #close	2023-08-16-01-28-55
 */

export const CONN_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
  'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents',
] as const;
const CONN_TYPES = [
  'time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count',
  'string', 'bool', 'bool', 'count', 'string', 'count', 'count', 'count', 'count', 'set[string]',
] as const;

export const DNS_FIELDS = [
  'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'trans_id', 'rtt', 'query', 'qclass', 'qclass_name',
  'qtype', 'qtype_name', 'rcode', 'rcode_name', 'AA', 'TC', 'RD', 'RA', 'Z', 'answers', 'TTLs', 'rejected',
] as const;
const DNS_TYPES = [
  'time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'count', 'interval', 'string', 'count', 'string',
  'count', 'string', 'count', 'string', 'bool', 'bool', 'bool', 'bool', 'count', 'vector[string]', 'vector[interval]', 'bool',
] as const;

/** Zeek's #open/#close stamp: YYYY-MM-DD-HH-MM-SS. */
export function zeekStamp(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)}-${s.slice(11, 13)}-${s.slice(14, 16)}-${s.slice(17, 19)}`;
}

export function zeekHeader(path: 'conn' | 'dns', openMs: number): string {
  const fields = path === 'conn' ? CONN_FIELDS : DNS_FIELDS;
  const types = path === 'conn' ? CONN_TYPES : DNS_TYPES;
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${path}`,
    `#open\t${zeekStamp(openMs)}`,
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ].join('\n') + '\n';
}

export function zeekFooter(closeMs: number): string {
  return `#close\t${zeekStamp(closeMs)}\n`;
}

function ts(ms: number): string {
  return (ms / 1000).toFixed(6);
}

export interface ConnRow {
  readonly ms: number;
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
  readonly proto: 'tcp' | 'udp';
  /** '-' when no analyser recognised the protocol. */
  readonly service: string;
  /** Seconds; undefined for attempts that never got an answer (S0). */
  readonly duration?: number;
  readonly origBytes: number;
  readonly respBytes: number;
  readonly state: string;
  readonly localOrig: boolean;
  readonly localResp: boolean;
  readonly history: string;
  readonly origPkts: number;
  readonly respPkts: number;
}

export function connRow(c: ConnRow): string {
  const answered = c.duration !== undefined;
  return [
    ts(c.ms), c.uid, c.origH, c.origP, c.respH, c.respP, c.proto, c.service,
    answered ? (c.duration as number).toFixed(6) : '-',
    answered ? c.origBytes : '-',
    answered ? c.respBytes : '-',
    c.state, c.localOrig ? 'T' : 'F', c.localResp ? 'T' : 'F', 0, c.history,
    c.origPkts, c.origBytes + c.origPkts * (c.proto === 'tcp' ? 40 : 28),
    c.respPkts, c.respBytes + c.respPkts * (c.proto === 'tcp' ? 40 : 28),
    '-',
  ].join('\t');
}

export interface DnsRow {
  readonly ms: number;
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly transId: number;
  readonly rtt: number;
  readonly query: string;
  readonly qtype: number;
  readonly qtypeName: string;
  /** 0 NOERROR, 3 NXDOMAIN. */
  readonly rcode: number;
  readonly answers: readonly string[];
  readonly ttls: readonly number[];
}

export function dnsRow(d: DnsRow): string {
  const ok = d.rcode === 0;
  return [
    ts(d.ms), d.uid, d.origH, d.origP, d.respH, 53, 'udp', d.transId, d.rtt.toFixed(6), d.query,
    1, 'C_INTERNET', d.qtype, d.qtypeName, d.rcode, ok ? 'NOERROR' : 'NXDOMAIN',
    'F', 'F', 'T', ok ? 'T' : 'F', 0,
    d.answers.length > 0 ? d.answers.join(',') : '-',
    d.ttls.length > 0 ? d.ttls.map((t) => t.toFixed(6)).join(',') : '-',
    'F',
  ].join('\t');
}
