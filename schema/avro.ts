/**
 * Avro codec for events and dead letters: avsc types built from schema/event.ts, Avro
 * single-object encoding (so Kafka consumers need no schema registry), and validation
 * that names the offending fields.
 *
 * Single-object encoding, per the Avro specification:
 *   0xC3 0x01 | 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's
 *   Parsing Canonical Form | Avro binary body
 *
 * Timestamps (`ts`, logicalType timestamp-millis) stay plain numbers of epoch
 * milliseconds in JS: avsc maps logical types only when given a `logicalTypes` option,
 * and we do not give one, so there is no Date allocation per event.
 */
import avsc from 'avsc';
import { NightjarError } from '../core/errors.js';
import { DEAD_LETTER_SCHEMA, EVENT_SCHEMA } from './event.js';
import { schemaFingerprint } from './fingerprint.js';
import type { DeadLetter, NightjarEvent } from './types.js';

export const SINGLE_OBJECT_MAGIC = Buffer.from([0xc3, 0x01]);
/** Magic plus fingerprint. */
export const SINGLE_OBJECT_HEADER_SIZE = 10;

type AvroType = avsc.Type;

/** Builds an avsc type; schemas are deep-readonly constants, avsc wants a mutable shape. */
export function avroType(schema: unknown): AvroType {
  return avsc.Type.forSchema(schema as avsc.Schema);
}

export const eventType: AvroType = avroType(EVENT_SCHEMA);
export const deadLetterType: AvroType = avroType(DEAD_LETTER_SCHEMA);

/** True when the bytes start with the single-object magic. */
export function isSingleObject(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0xc3 && buf[1] === 0x01;
}

/** The writer fingerprint of a single-object message, hex, little-endian byte order as on the wire. */
export function readFingerprint(buf: Uint8Array): string {
  if (!isSingleObject(buf)) throw new NightjarError('MALFORMED_RECORD', 'not Avro single-object encoding: bad magic bytes');
  if (buf.length < SINGLE_OBJECT_HEADER_SIZE) throw new NightjarError('MALFORMED_RECORD', 'truncated Avro single-object header');
  return Buffer.from(buf.buffer, buf.byteOffset + 2, 8).toString('hex');
}

export interface SingleObjectCodecOptions {
  /**
   * Other writer schemas this reader accepts (older or newer versions of the same
   * record); their data is resolved into the reader schema by Avro schema resolution.
   */
  writerSchemas?: readonly unknown[];
}

/** Encodes and decodes one record schema in Avro single-object encoding. */
export class SingleObjectCodec<T> {
  readonly type: AvroType;
  /** The 8-byte fingerprint of this codec's schema, as written on the wire. */
  readonly fingerprint: Buffer;
  private readonly header: Buffer;
  private scratch: Buffer;
  private readonly resolvers = new Map<string, { type: AvroType; resolver: ReturnType<AvroType['createResolver']> | undefined }>();

  constructor(schema: unknown, options: SingleObjectCodecOptions = {}) {
    this.type = avroType(schema);
    this.fingerprint = schemaFingerprint(schema);
    this.header = Buffer.concat([SINGLE_OBJECT_MAGIC, this.fingerprint]);
    this.scratch = Buffer.allocUnsafe(64 * 1024);
    this.header.copy(this.scratch, 0);
    this.resolvers.set(this.fingerprint.toString('hex'), { type: this.type, resolver: undefined });
    for (const writer of options.writerSchemas ?? []) {
      const writerType = avroType(writer);
      this.resolvers.set(schemaFingerprint(writer).toString('hex'), { type: writerType, resolver: this.type.createResolver(writerType) });
    }
  }

  /** Throws SCHEMA_VIOLATION (naming the fields) when the value does not fit the schema. */
  encode(value: T): Buffer {
    // Encode straight after the header in a reusable scratch buffer: avsc's toBuffer
    // starts from a small pool and re-encodes large events, which costs a factor of several.
    let end: number;
    try {
      end = this.type.encode(value, this.scratch, SINGLE_OBJECT_HEADER_SIZE);
      while (end < 0) {
        this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end));
        this.header.copy(this.scratch, 0);
        end = this.type.encode(value, this.scratch, SINGLE_OBJECT_HEADER_SIZE);
      }
    } catch (err) {
      const paths = invalidPaths(this.type, value);
      throw new NightjarError('SCHEMA_VIOLATION', `cannot Avro-encode ${this.type.name ?? 'value'}: invalid ${paths.join(', ') || 'value'}`, { cause: err });
    }
    return Buffer.from(this.scratch.subarray(0, end));
  }

  /**
   * Decodes one message. Bad magic, a truncated or trailing body → MALFORMED_RECORD;
   * a fingerprint of a schema this codec does not know → SCHEMA_VIOLATION.
   */
  decode(buf: Uint8Array): T {
    const fp = readFingerprint(buf);
    const known = this.resolvers.get(fp);
    if (!known) {
      throw new NightjarError('SCHEMA_VIOLATION', `unknown Avro schema fingerprint ${fp} (expected ${this.type.name ?? 'schema'} ${this.fingerprint.toString('hex')})`);
    }
    const body = Buffer.from(buf.buffer, buf.byteOffset + SINGLE_OBJECT_HEADER_SIZE, buf.length - SINGLE_OBJECT_HEADER_SIZE);
    try {
      return known.resolver ? this.type.fromBuffer(body, known.resolver) : this.type.fromBuffer(body);
    } catch (err) {
      throw new NightjarError('MALFORMED_RECORD', `cannot decode Avro ${this.type.name ?? 'value'}: ${(err as Error).message}`, { cause: err });
    }
  }
}

export const eventCodec = new SingleObjectCodec<NightjarEvent>(EVENT_SCHEMA);
export const deadLetterCodec = new SingleObjectCodec<DeadLetter>(DEAD_LETTER_SCHEMA);

export const encodeEvent = (e: NightjarEvent): Buffer => eventCodec.encode(e);
export const decodeEvent = (buf: Uint8Array): NightjarEvent => eventCodec.decode(buf);
export const encodeDeadLetter = (d: DeadLetter): Buffer => deadLetterCodec.encode(d);
export const decodeDeadLetter = (buf: Uint8Array): DeadLetter => deadLetterCodec.decode(buf);

/**
 * Paths (dot-joined, e.g. `src_geo.lat`, `flags.0.score`, `fields.EventID`) of the values
 * that violate the schema, including fields the schema does not declare; [] when valid.
 */
export function invalidPaths(type: AvroType, value: unknown): string[] {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
  if (paths.length > 0) return paths;
  // Second pass for undeclared fields: avsc reports the record holding them, so name the keys.
  type.isValid(value, {
    noUndeclaredFields: true,
    errorHook: (path, val, t) => {
      const prefix = path.length > 0 ? `${path.join('.')}.` : '';
      const declared = new Set(((t as unknown as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name));
      if (val && typeof val === 'object' && declared.size > 0) {
        for (const key of Object.keys(val)) if (!declared.has(key)) paths.push(prefix + key);
      } else {
        paths.push(path.join('.'));
      }
    },
  });
  return paths;
}

export const validateEvent = (e: unknown): string[] => invalidPaths(eventType, e);
export const validateDeadLetter = (d: unknown): string[] => invalidPaths(deadLetterType, d);
