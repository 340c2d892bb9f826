import { describe, expect, it } from 'vitest';
import { decodeRawEnvelope, encodeRawEnvelope, originalBytesOf, rawSourceOf } from '../../transport/raw-envelope.js';
import type { RawEvent } from '../../schema/types.js';

const event: RawEvent = {
  format: 'zeek',
  log_type: 'conn',
  fields: { 'id.orig_h': '10.0.0.1', duration: 1.5, tags: ['a', 'b'] },
  origin: '/data/conn.log',
  origin_offset: 17,
  host_hint: null,
  raw: Buffer.from([0x31, 0x09, 0xff, 0x00, 0x0a, 0x32]), // tabs, invalid UTF-8, NUL and LF survive
};

describe('raw envelope', () => {
  it('round-trips the parsed fields and the original bytes exactly', () => {
    const back = decodeRawEnvelope(encodeRawEnvelope(event));
    expect(back).toEqual(event);
    expect(Buffer.compare(back.raw, event.raw)).toBe(0);
  });

  it('rejects values that are no envelope, and still finds the original bytes to dead-letter', () => {
    const junk = Buffer.from('{"not":"an envelope"}');
    expect(() => decodeRawEnvelope(junk)).toThrow(/magic/);
    expect(originalBytesOf(junk)).toBe(junk);
    const enc = encodeRawEnvelope(event);
    expect(Buffer.compare(originalBytesOf(enc), event.raw)).toBe(0);
    const truncated = enc.subarray(0, 12);
    expect(() => decodeRawEnvelope(truncated)).toThrow(/overruns/);
    const badFormat = encodeRawEnvelope({ ...event, format: 'nope' as RawEvent['format'] });
    expect(() => decodeRawEnvelope(badFormat)).toThrow(/unknown format/);
  });

  it('puts both Windows formats on one raw topic', () => {
    expect(rawSourceOf('windows_flat')).toBe('windows');
    expect(rawSourceOf('windows_evtx')).toBe('windows');
    expect(rawSourceOf('zeek')).toBe('zeek');
  });
});
