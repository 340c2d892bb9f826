/**
 * Windows events as flat JSON, the shape NXLog (im_msvistalog), winlogbeat-style agents
 * and Logstash ship: one object per line with `Channel`, `EventID`, `Hostname` and the
 * event data as top-level keys (`Image`, `CommandLine`, `TargetUserName`, …).
 */
import { shortHostName } from '../host-name.js';
import type { ParsedRecord } from './parsed-record.js';

export function isWindowsFlat(obj: Record<string, unknown>): boolean {
  return 'EventID' in obj && ('Channel' in obj || 'SourceName' in obj || 'ProviderName' in obj);
}

export function parseWindowsFlat(obj: Record<string, unknown>): ParsedRecord {
  return {
    format: 'windows_flat',
    log_type: typeof obj.Channel === 'string' ? obj.Channel : null,
    fields: obj,
    host_hint: shortHostName(obj.Hostname ?? obj.Computer ?? obj.ComputerName),
  };
}
