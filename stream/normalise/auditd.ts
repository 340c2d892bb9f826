/**
 * Linux audit records (auditd, AUOMS) to the common fields. Each record is one event;
 * records sharing an audit serial (SYSCALL + EXECVE + CWD + PATH + PROCTITLE) are not
 * joined here: that needs state across events. `audit(epoch:serial)` is the event time.
 *
 * The acting user is the name when the agent resolved it (AUOMS `user`, enriched `UID`,
 * `acct` in USER_* records), else the numeric uid. `auid` (the login user) stays in
 * fields; 4294967295 there means "unset".
 */
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import { shortHostName } from '../../ingest/host-name.js';
import type { EventType } from './event-types.js';
import { baseEvent, baseName, epochSecondsToMs, flattenFields, int, ip, isPlainObject, requireTs, str } from './common.js';

const TYPES: Record<string, EventType> = {
  EXECVE: 'execve', AUOMS_EXECVE: 'execve', SYSCALL: 'syscall', AUOMS_SYSCALL: 'syscall',
  USER_LOGIN: 'logon', USER_AUTH: 'logon', USER_START: 'logon', USER_LOGOUT: 'logoff', USER_END: 'logoff',
  ADD_USER: 'account_change', DEL_USER: 'account_change', ADD_GROUP: 'account_change', DEL_GROUP: 'account_change',
  USER_CHAUTHTOK: 'account_change', USER_MGMT: 'account_change',
};

function execveArgs(f: Record<string, unknown>): string | null {
  const argc = int(f.argc);
  if (argc === null || argc <= 0) return null;
  const args: string[] = [];
  for (let i = 0; i < argc; i++) {
    const a = f[`a${i}`];
    if (typeof a !== 'string') break;
    args.push(a);
  }
  return args.length > 0 ? args.join(' ') : null;
}

export function normaliseAuditd(raw: RawEvent): NightjarEvent {
  const f = raw.fields;
  const type = String(f.type ?? 'UNKNOWN');
  const ts = requireTs(epochSecondsToMs(f.audit_time), `auditd record has audit time ${JSON.stringify(f.audit_time)}`);
  const e = baseEvent(raw, ts, 'linux', 'auditd', TYPES[type] ?? 'other', flattenFields(f));
  const wrapper = isPlainObject(f.syslog) ? f.syslog : {};

  const host = str(f.node) ?? str(wrapper.HostName) ?? str(wrapper.Computer) ?? str(wrapper.hostname);
  if (host) {
    e.host = shortHostName(host);
    e.host_fqdn = host.includes('.') ? host.toLowerCase() : null;
  }
  const user = str(f.user) ?? str(f.UID) ?? str(f.acct) ?? str(f.uid);
  e.user = user && user !== 'unset' ? user.toLowerCase() : null;

  e.process_path = str(f.exe);
  e.process = baseName(e.process_path) ?? (str(f.comm)?.toLowerCase() ?? null);
  e.process_id = int(f.pid);
  e.parent_process_id = int(f.ppid);
  const proctitle = str(f.proctitle);
  e.command_line = str(f.cmdline) ?? execveArgs(f) ?? proctitle;
  if (!e.process && type === 'EXECVE' && typeof f.a0 === 'string') e.process = baseName(f.a0);
  e.file_path = str(f.name) && f.name !== '(null)' ? str(f.name) : null;

  const addr = str(f.addr);
  e.src_ip = addr && addr !== '?' && /^[0-9a-f.:]+$/i.test(addr) ? ip(addr) : null;
  e.src_host = str(f.hostname) && f.hostname !== '?' ? str(f.hostname) : null;

  const success = str(f.success) ?? str(f.res);
  e.outcome = success === 'yes' || success === 'success' ? 'success' : success === 'no' || success === 'failed' || success === 'fail' ? 'failure' : null;
  return e;
}
