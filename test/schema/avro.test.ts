import avsc from 'avsc';
import { describe, expect, it } from 'vitest';
import { NightjarError } from '../../core/errors.js';
import {
  SingleObjectCodec, decodeDeadLetter, decodeEvent, encodeDeadLetter, encodeEvent, eventCodec, eventType,
  readFingerprint, validateDeadLetter, validateEvent,
} from '../../schema/avro.js';
import { EVENT_SCHEMA } from '../../schema/event.js';
import { parsingCanonicalForm, rabinFingerprint64 } from '../../schema/fingerprint.js';
import { makeDeadLetter, makeEvent } from '../warehouse/synthetic-events.js';

function expectNightjarError(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NightjarError);
    expect((err as NightjarError).code).toBe(code);
    return;
  }
  throw new Error(`expected a NightjarError ${code}`);
}

describe('single-object encoding', () => {
  it('round-trips an event with maps, nested records, flags and stats', () => {
    const event = makeEvent({ flags: [{ rule: 'lolbin_execution', score: 60, reason: 'cmd.exe is watch-listed' }], src_geo: null });
    const bytes = encodeEvent(event);
    expect([...bytes.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    const fp = BigInt.asUintN(64, bytes.readBigUInt64LE(2));
    expect(fp).toBe(rabinFingerprint64(parsingCanonicalForm(EVENT_SCHEMA)));
    const decoded = decodeEvent(bytes);
    expect(JSON.parse(JSON.stringify(decoded))).toMatchObject(JSON.parse(JSON.stringify(event)));
    // Fields added later with defaults (schema/types.ts LaterEnrichments) decode as their default.
    expect(decoded.rarity).toEqual([]);
    expect(decoded.prevalence).toBeNull();
    expect(typeof decoded.ts).toBe('number');
    expect(decoded.ts).toBe(event.ts);
  });

  it('round-trips a dead letter with its raw bytes unchanged', () => {
    const dl = makeDeadLetter();
    const decoded = decodeDeadLetter(encodeDeadLetter(dl));
    expect(Buffer.compare(decoded.raw, dl.raw)).toBe(0);
    expect(decoded.reason).toBe(dl.reason);
  });

  it('is wire compatible with plain avsc binary after the 10-byte header', () => {
    const event = makeEvent();
    const bytes = encodeEvent(event);
    expect(Buffer.compare(bytes.subarray(10), eventType.toBuffer(event))).toBe(0);
  });

  it('rejects bad magic, unknown fingerprints, truncated and trailing bytes', () => {
    const bytes = encodeEvent(makeEvent());
    const badMagic = Buffer.from(bytes);
    badMagic[0] = 0xc2;
    expectNightjarError(() => decodeEvent(badMagic), 'MALFORMED_RECORD');
    expectNightjarError(() => decodeEvent(bytes.subarray(0, 6)), 'MALFORMED_RECORD');
    expectNightjarError(() => decodeEvent(bytes.subarray(0, bytes.length - 5)), 'MALFORMED_RECORD');
    expectNightjarError(() => decodeEvent(Buffer.concat([bytes, Buffer.from([1, 2])])), 'MALFORMED_RECORD');
    const unknown = Buffer.from(bytes);
    unknown[5] = (unknown[5] ?? 0) ^ 0xff;
    expectNightjarError(() => decodeEvent(unknown), 'SCHEMA_VIOLATION');
    // A dead letter is not an event, even though the bytes are well formed.
    expectNightjarError(() => decodeEvent(encodeDeadLetter(makeDeadLetter())), 'SCHEMA_VIOLATION');
  });

  it('refuses to encode an invalid event with SCHEMA_VIOLATION naming the field', () => {
    const bad = { ...makeEvent(), dst_port: 'http' } as unknown;
    try {
      eventCodec.encode(bad as never);
      throw new Error('encoded an invalid event');
    } catch (err) {
      expect((err as NightjarError).code).toBe('SCHEMA_VIOLATION');
      expect((err as Error).message).toContain('dst_port');
    }
  });

  it('resolves data written with an older schema when told about it', () => {
    const older = { ...EVENT_SCHEMA, fields: EVENT_SCHEMA.fields.filter((f) => f.name !== 'outcome') };
    const oldWriter = new SingleObjectCodec<Record<string, unknown>>(older);
    const { outcome: _drop, ...oldEvent } = makeEvent();
    const bytes = oldWriter.encode(oldEvent);
    expectNightjarError(() => decodeEvent(bytes), 'SCHEMA_VIOLATION');
    const reader = new SingleObjectCodec<ReturnType<typeof makeEvent>>(EVENT_SCHEMA, { writerSchemas: [older] });
    const decoded = reader.decode(bytes);
    expect(decoded.outcome).toBeNull();
    expect(decoded.host).toBe('ws01');
    expect(readFingerprint(bytes)).toBe(oldWriter.fingerprint.toString('hex'));
  });

  it('agrees with avsc on the canonical form of the event schema', () => {
    // avsc's schema() is its canonical form; an independent check of ours on a large schema.
    expect(parsingCanonicalForm(EVENT_SCHEMA)).toBe(JSON.stringify(avsc.Type.forSchema(EVENT_SCHEMA as never).schema()));
  });
});

describe('validateEvent', () => {
  it('returns no paths for a valid event', () => {
    expect(validateEvent(makeEvent())).toEqual([]);
    expect(validateDeadLetter(makeDeadLetter())).toEqual([]);
  });

  it('names each violating field', () => {
    const bad = {
      ...makeEvent(),
      ts: 1.5,
      host: 42,
      fields: { EventID: 1 },
      flags: [{ rule: 'x', score: 'high', reason: 'y' }],
      dst_geo: { country: 'SE', city: null, lat: 'north', lon: null, asn: null, as_org: null },
    };
    expect(validateEvent(bad).sort()).toEqual(['dst_geo.lat', 'fields.EventID', 'flags.0.score', 'host', 'ts']);
  });

  it('reports missing required fields and undeclared ones', () => {
    const { origin: _o, ...missing } = makeEvent();
    expect(validateEvent(missing)).toEqual(['origin']);
    expect(validateEvent({ ...makeEvent(), hostname: 'x' })).toEqual(['hostname']);
    expect(validateDeadLetter({ ...makeDeadLetter(), raw: 'not bytes' })).toEqual(['raw']);
  });
});
