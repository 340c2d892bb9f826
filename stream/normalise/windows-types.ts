/**
 * Windows channel → dataset and (dataset, EventID) → event_type. Tables, not code, so a
 * reviewer can check them against Microsoft's and Sysinternals' event documentation.
 */
import type { EventType } from './event-types.js';

/** Channel names vary in case (`Security`, `security`); compare lower-cased. */
export function windowsDataset(channel: string | null): string {
  if (!channel) return 'windows';
  const c = channel.toLowerCase();
  switch (c) {
    case 'microsoft-windows-sysmon/operational': return 'sysmon';
    case 'security': return 'security';
    case 'system': return 'system';
    case 'application': return 'application';
    case 'windows powershell':
    case 'microsoft-windows-powershell/operational':
    case 'powershellcore/operational':
      return 'powershell';
    default:
      return c.replace(/^microsoft-windows-/, '').replace(/\/operational$/, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'windows';
  }
}

const SYSMON: Record<number, EventType> = {
  1: 'process_start', 2: 'file_create', 3: 'network_connection', 5: 'process_end', 6: 'driver_load', 7: 'image_load',
  8: 'remote_thread', 10: 'process_access', 11: 'file_create', 12: 'registry_event', 13: 'registry_event',
  14: 'registry_event', 15: 'file_create', 17: 'pipe_event', 18: 'pipe_event', 19: 'wmi_event', 20: 'wmi_event',
  21: 'wmi_event', 22: 'dns_query', 23: 'file_delete', 26: 'file_delete', 28: 'file_delete',
};

const SECURITY: Record<number, EventType> = {
  1102: 'log_cleared',
  4624: 'logon', 4625: 'logon', 4634: 'logoff', 4647: 'logoff', 4648: 'logon_explicit', 4672: 'privileged_logon',
  4688: 'process_start', 4689: 'process_end', 4697: 'service_install',
  4698: 'scheduled_task', 4699: 'scheduled_task', 4700: 'scheduled_task', 4701: 'scheduled_task', 4702: 'scheduled_task',
  4656: 'object_access', 4690: 'object_access', 4658: 'object_access', 4660: 'object_access', 4663: 'object_access', 4670: 'object_access',
  4657: 'registry_event',
  4720: 'account_change', 4722: 'account_change', 4723: 'account_change', 4724: 'account_change', 4725: 'account_change',
  4726: 'account_change', 4728: 'account_change', 4732: 'account_change', 4738: 'account_change', 4740: 'account_change',
  4756: 'account_change', 4767: 'account_change',
  4768: 'kerberos', 4769: 'kerberos', 4770: 'kerberos', 4771: 'kerberos', 4776: 'logon',
  5140: 'share_access', 5145: 'share_access',
  5152: 'network_connection', 5154: 'network_bind', 5156: 'network_connection', 5157: 'network_connection', 5158: 'network_bind', 5159: 'network_bind',
};

const SYSTEM: Record<number, EventType> = { 7045: 'service_install', 104: 'log_cleared' };

export function windowsEventType(dataset: string, code: number | null): EventType {
  if (code === null) return 'other';
  switch (dataset) {
    case 'sysmon': return SYSMON[code] ?? 'other';
    case 'security': return SECURITY[code] ?? 'other';
    case 'system': return SYSTEM[code] ?? 'other';
    case 'powershell': return 'powershell';
    case 'taskscheduler': return 'scheduled_task';
    case 'wmi_activity': return 'wmi_event';
    case 'terminalservices_remoteconnectionmanager':
    case 'terminalservices_localsessionmanager':
      return 'rdp';
    default: return 'other';
  }
}

/** Security events whose acting account is the Target* one (who logged on), not the Subject (who reported it). */
export const TARGET_USER_CODES = new Set([4624, 4625, 4634, 4647, 4648, 4688, 4768, 4769, 4770, 4771, 4776]);

/** Failure no matter what the keywords say. */
export const FAILURE_CODES = new Set([4625, 4771, 5152, 5157]);

/** Mandatory label SIDs (Security 4688) → Sysmon's integrity level names. */
export const INTEGRITY_LEVELS: Record<string, string> = {
  'S-1-16-0': 'Untrusted', 'S-1-16-4096': 'Low', 'S-1-16-8192': 'Medium', 'S-1-16-8448': 'MediumPlus',
  'S-1-16-12288': 'High', 'S-1-16-16384': 'System', 'S-1-16-20480': 'Protected',
};

/** IANA protocol numbers in the Windows Filtering Platform events. */
export const IP_PROTOCOLS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6' };
