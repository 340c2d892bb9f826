/**
 * Zeek logs to the common fields. Every log type keeps its own fields; the well-known
 * ones (conn, dns, http, ssl, files, kerberos, ntlm, smb_mapping, rdp, ...) also fill
 * the common fields their content maps to.
 *
 * `ts` is epoch seconds (TSV, Zeek JSON) or an ISO string (some JSON writers). Zeek has no
 * single "host" of a record, so `host` stays null; `src_ip`/`dst_ip` are the connection's
 * originator and responder. `outcome` for conn: established (SF, S1-S3, RSTO, RSTR) is
 * success, no answer or refused (S0, REJ) failure, the rest unknown.
 */
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import type { EventType } from './event-types.js';
import { baseEvent, epochSecondsToMs, flattenFields, ip, isPlainObject, parseTimestamp, port, requireTs, splitUser, str } from './common.js';

const EVENT_TYPES: Record<string, EventType> = {
  conn: 'network_connection', dns: 'dns_query', http: 'http_request', ssl: 'tls', x509: 'certificate',
  files: 'file_transfer', pe: 'file_transfer', kerberos: 'kerberos', ntlm: 'ntlm', smb_mapping: 'smb_mapping',
  smb_files: 'file_access', rdp: 'rdp', notice: 'notice', weird: 'weird', dce_rpc: 'rpc', ssh: 'ssh',
};

const CONN_SUCCESS = new Set(['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR']);
const CONN_FAILURE = new Set(['S0', 'REJ']);

function zeekTime(v: unknown): number | null {
  if (typeof v === 'number') return epochSecondsToMs(v);
  if (typeof v === 'string') return /^\d+(\.\d+)?$/.test(v) ? epochSecondsToMs(v) : parseTimestamp(v);
  return null;
}

/** Reads `id.orig_h`, the shipper variant `id_orig_h`, or a nested `id: {orig_h}`. */
function idField(f: Record<string, unknown>, name: string): unknown {
  const dotted = f[`id.${name}`];
  if (dotted !== undefined) return dotted;
  const underscored = f[`id_${name}`];
  if (underscored !== undefined) return underscored;
  return isPlainObject(f.id) ? f.id[name] : undefined;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

function joined(v: unknown): string | null {
  if (Array.isArray(v)) return v.length > 0 ? v.join(',') : null;
  return str(v);
}

export function normaliseZeek(raw: RawEvent): NightjarEvent {
  const f = raw.fields;
  const logType = raw.log_type ?? 'unknown';
  const ts = requireTs(zeekTime(f.ts), `Zeek ${logType} record has ts=${JSON.stringify(f.ts)}`);
  const e = baseEvent(raw, ts, 'zeek', `zeek.${logType}`, EVENT_TYPES[logType] ?? 'other', flattenFields(f));

  e.src_ip = ip(idField(f, 'orig_h')) ?? ip(f.src) ?? ip(first(f.tx_hosts));
  e.src_port = port(idField(f, 'orig_p'));
  e.dst_ip = ip(idField(f, 'resp_h')) ?? ip(f.dst) ?? ip(first(f.rx_hosts));
  e.dst_port = port(idField(f, 'resp_p')) ?? port(f.p);
  e.protocol = str(f.proto);

  switch (logType) {
    case 'conn': {
      const state = str(f.conn_state);
      e.outcome = state && CONN_SUCCESS.has(state) ? 'success' : state && CONN_FAILURE.has(state) ? 'failure' : null;
      break;
    }
    case 'dns': {
      const q = str(f.query);
      e.dns_query = q ? q.toLowerCase() : null;
      e.dns_answers = joined(f.answers);
      break;
    }
    case 'http': {
      const host = str(f.host);
      const uri = str(f.uri);
      e.dst_host = host;
      e.url = uri ? (host && uri.startsWith('/') ? `http://${host}${uri}` : uri) : null;
      const u = splitUser(f.username);
      e.user = u.user;
      break;
    }
    case 'ssl':
      e.dst_host = str(f.server_name);
      e.outcome = f.established === true ? 'success' : f.established === false ? 'failure' : null;
      break;
    case 'files':
      e.file_path = str(f.filename);
      e.md5 = str(f.md5)?.toLowerCase() ?? null;
      e.sha1 = str(f.sha1)?.toLowerCase() ?? null;
      e.sha256 = str(f.sha256)?.toLowerCase() ?? null;
      break;
    case 'kerberos': {
      // client is "user/REALM"; an empty user ("/NM") stays null
      const client = str(f.client);
      const slash = client ? client.indexOf('/') : -1;
      const name = client ? (slash >= 0 ? client.slice(0, slash) : client) : null;
      const u = splitUser(name, slash >= 0 ? client!.slice(slash + 1) : undefined);
      e.user = u.user;
      e.user_domain = u.domain;
      e.outcome = f.success === true ? 'success' : f.success === false ? 'failure' : null;
      break;
    }
    case 'ntlm': {
      const u = splitUser(f.username, f.domainname);
      e.user = u.user;
      e.user_domain = u.domain;
      e.src_host = str(f.hostname);
      e.dst_host = str(f.server_dns_computer_name) ?? str(f.server_nb_computer_name);
      e.outcome = f.success === true ? 'success' : f.success === false ? 'failure' : null;
      break;
    }
    case 'smb_mapping':
      e.file_path = str(f.path);
      break;
    case 'smb_files':
      e.file_path = str(f.path) && str(f.name) ? `${str(f.path)}\\${str(f.name)}` : str(f.name);
      break;
    case 'rdp': {
      // the cookie carries the user name the client offered (mstshash=)
      const u = splitUser(f.cookie);
      e.user = u.user;
      e.user_domain = u.domain;
      break;
    }
    case 'ssh':
      e.outcome = f.auth_success === true ? 'success' : f.auth_success === false ? 'failure' : null;
      break;
    default:
      break;
  }
  return e;
}
