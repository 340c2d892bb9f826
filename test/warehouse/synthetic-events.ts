/**
 * Small builders of valid events and dead letters for the schema and warehouse tests.
 * Values are chosen so tests can compute exact expectations (per-partition counts).
 */
import { newEvent, type DeadLetter, type NightjarEvent } from '../../schema/types.js';

export function makeEvent(overrides: Partial<NightjarEvent> = {}): NightjarEvent {
  return {
    ...newEvent({ ts: 0, source: '', dataset: '', event_type: '', fields: {}, origin: '', origin_offset: 0 }),
    ts: Date.UTC(2024, 2, 1, 10, 15, 0),
    source: 'windows',
    dataset: 'sysmon',
    event_type: 'process_start',
    event_code: 1,
    host: 'ws01',
    user: 'alice',
    process: 'cmd.exe',
    process_path: 'C:\\Windows\\System32\\cmd.exe',
    process_id: 4242,
    fields: { EventID: '1', Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\System32\\cmd.exe' },
    src_geo: null,
    dst_geo: { country: 'SE', city: 'Stockholm', lat: 59.33, lon: 18.06, asn: 3301, as_org: 'Telia' },
    src_site: { site: 'hq', location: 'Malmö', owner: null, cidr: '10.0.0.0/8' },
    dst_site: null,
    stats: [{ kind: 'process_image', key: 'cmd.exe', count: 3, first_seen: false }],
    flags: [],
    origin: 'test.json',
    origin_offset: 1,
    ...overrides,
  };
}

export function makeDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    ts: Date.UTC(2024, 2, 1, 11, 0, 0),
    stage: 'ingest',
    code: 'MALFORMED_JSON',
    reason: 'Unexpected token } in JSON at position 7',
    source: 'windows',
    origin: 'test.json',
    origin_offset: 2,
    raw: Buffer.from([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x00, 0x7d, 0x0a]),
    ...overrides,
  };
}
