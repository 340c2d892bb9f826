/**
 * Syslog messages to the common fields. The message text is free form; two sshd lines are
 * worth recognising because logons are counted and password sprays detected:
 *   Accepted password for bob from 10.0.0.5 port 52022 ssh2
 *   Failed password for invalid user admin from 10.0.0.9 port 40000 ssh2
 */
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import { shortHostName } from '../../ingest/host-name.js';
import type { EventType } from './event-types.js';
import { baseEvent, flattenFields, int, parseTimestamp, port, requireTs, str } from './common.js';

const SSHD_LOGON = /^(Accepted|Failed) (?:password|publickey|keyboard-interactive\/pam|none) for (?:invalid user )?(\S+) from (\S+) port (\d+)/;

export function normaliseSyslog(raw: RawEvent): NightjarEvent {
  const f = raw.fields;
  const ts = requireTs(parseTimestamp(f.timestamp), `syslog message has timestamp ${JSON.stringify(f.timestamp)}`);
  let eventType: EventType = 'other';
  const app = str(f.app_name);
  const message = typeof f.message === 'string' ? f.message : '';
  const sshd = app === 'sshd' ? SSHD_LOGON.exec(message) : null;
  if (sshd) eventType = 'logon';
  const e = baseEvent(raw, ts, 'syslog', 'syslog', eventType, flattenFields(f));
  const host = str(f.hostname);
  if (host) {
    e.host = shortHostName(host);
    e.host_fqdn = host.includes('.') ? host.toLowerCase() : null;
  }
  e.process = app ? app.toLowerCase() : null;
  e.process_id = int(f.procid);
  if (sshd) {
    e.outcome = sshd[1] === 'Accepted' ? 'success' : 'failure';
    e.user = sshd[2]!.toLowerCase();
    e.src_ip = sshd[3]!;
    e.src_port = port(sshd[4]);
    e.protocol = 'ssh';
  }
  return e;
}
