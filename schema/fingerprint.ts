/**
 * Avro schema fingerprints, per the Avro specification ("Schema Fingerprints" and
 * "Parsing Canonical Form for Schemas"): the CRC-64-AVRO (Rabin) fingerprint of a
 * schema's Parsing Canonical Form. Single-object encoding puts these 8 bytes,
 * little-endian, after the magic 0xC3 0x01 so a reader can pick the writer schema
 * without a registry.
 *
 * avsc has no Rabin fingerprint (its `fingerprint()` is MD5/SHA of its own JSON), so the
 * canonical form and the CRC are computed here, on the plain JSON schema.
 */

/** The CRC-64-AVRO polynomial seed, "EMPTY" in the specification. */
const EMPTY = 0xc15d213aa4d7a795n;
const MASK64 = 0xffffffffffffffffn;

const FP_TABLE: bigint[] = (() => {
  const table: bigint[] = [];
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n) & MASK64);
    table.push(fp);
  }
  return table;
})();

/** CRC-64-AVRO of raw bytes, as an unsigned 64-bit bigint. */
export function rabinFingerprint64(data: Uint8Array | string): bigint {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fp = EMPTY;
  for (const b of bytes) fp = (fp >> 8n) ^ (FP_TABLE[Number((fp ^ BigInt(b)) & 0xffn)] as bigint);
  return fp;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
/** [ORDER]: the only attributes kept, in this order. */
const KEPT_ATTRIBUTES = ['name', 'type', 'fields', 'symbols', 'items', 'values', 'size'] as const;

function fullName(name: string, namespace: string | undefined): string {
  if (name.includes('.') || !namespace) return name;
  return `${namespace}.${name}`;
}

/**
 * Returns the Parsing Canonical Form of a schema given as parsed JSON (a string such as
 * 'int' is the primitive or named type of that name, not JSON text to parse).
 * Applies [PRIMITIVES], [FULLNAMES], [STRIP], [ORDER], [STRINGS], [WHITESPACE]; a named
 * type is written in full at its first occurrence and by full name afterwards.
 */
export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema, undefined, new Set());
}

function canonical(schema: unknown, namespace: string | undefined, seen: Set<string>): string {
  if (typeof schema === 'string') {
    return JSON.stringify(PRIMITIVES.has(schema) ? schema : fullName(schema, namespace));
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canonical(branch, namespace, seen)).join(',')}]`;
  }
  if (schema === null || typeof schema !== 'object') throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);
  const obj = schema as Record<string, unknown>;
  const type = obj['type'];
  if (typeof type !== 'string') return canonical(type, namespace, seen); // {"type": {...}} or {"type": [...]}
  if (PRIMITIVES.has(type)) return JSON.stringify(type); // also drops logicalType
  let ns = namespace;
  let name: string | undefined;
  if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
    const rawName = String(obj['name']);
    const ownNs = typeof obj['namespace'] === 'string' ? (obj['namespace'] as string) : namespace;
    name = fullName(rawName, ownNs);
    const dot = name.lastIndexOf('.');
    ns = dot >= 0 ? name.slice(0, dot) : undefined;
    if (seen.has(name)) return JSON.stringify(name);
    seen.add(name);
  } else if (!['array', 'map'].includes(type)) {
    return JSON.stringify(fullName(type, namespace)); // {"type": "SomeNamedType"}
  }
  const parts: string[] = [];
  for (const attr of KEPT_ATTRIBUTES) {
    if (!(attr in obj) && attr !== 'name') continue;
    switch (attr) {
      case 'name':
        if (name !== undefined) parts.push(`"name":${JSON.stringify(name)}`);
        break;
      case 'type':
        parts.push(`"type":${JSON.stringify(type === 'error' ? 'record' : type)}`);
        break;
      case 'fields': {
        const fields = (obj['fields'] as Array<Record<string, unknown>>).map(
          (f) => `{"name":${JSON.stringify(f['name'])},"type":${canonical(f['type'], ns, seen)}}`,
        );
        parts.push(`"fields":[${fields.join(',')}]`);
        break;
      }
      case 'symbols':
        parts.push(`"symbols":${JSON.stringify(obj['symbols'])}`);
        break;
      case 'items':
      case 'values':
        parts.push(`"${attr}":${canonical(obj[attr], ns, seen)}`);
        break;
      case 'size':
        parts.push(`"size":${Number(obj['size'])}`);
        break;
    }
  }
  return `{${parts.join(',')}}`;
}

/** The 8-byte little-endian CRC-64-AVRO fingerprint of a schema, as written in single-object encoding. */
export function schemaFingerprint(schema: unknown): Buffer {
  const fp = rabinFingerprint64(parsingCanonicalForm(schema));
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(fp);
  return out;
}
