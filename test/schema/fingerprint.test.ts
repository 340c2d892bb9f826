import { describe, expect, it } from 'vitest';
import { parsingCanonicalForm, rabinFingerprint64, schemaFingerprint } from '../../schema/fingerprint.js';

// Vectors from the Avro project's share/test/data/schema-tests.txt (fingerprints are the
// Java implementation's signed 64-bit values) and the Ruby test for `"int"`'s header.
const VECTORS: { input: string; canonical: string; fingerprint?: bigint }[] = [
  { input: '"null"', canonical: '"null"', fingerprint: 7195948357588979594n },
  { input: '{"type":"null"}', canonical: '"null"' },
  { input: '"boolean"', canonical: '"boolean"', fingerprint: -6970731678124411036n },
  { input: '"int"', canonical: '"int"', fingerprint: 8247732601305521295n },
  { input: '{"type":"int"}', canonical: '"int"' },
  { input: '"long"', canonical: '"long"', fingerprint: -3434872931120570953n },
  { input: '"string"', canonical: '"string"', fingerprint: -8142146995180207161n },
  { input: '"bytes"', canonical: '"bytes"', fingerprint: 5746618253357095269n },
  { input: '[ "int" , {"type":"boolean"} ]', canonical: '["int","boolean"]', fingerprint: 5392556393470105090n },
  { input: '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}', canonical: '{"name":"x.y.foo","type":"record","fields":[]}', fingerprint: 5916914534497305771n },
  { input: '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}', canonical: '{"name":"a.b.foo","type":"record","fields":[]}', fingerprint: -4616218487480524110n },
  { input: '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}', canonical: '{"name":"foo","type":"record","fields":[]}', fingerprint: -4824392279771201922n },
  {
    input: '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":true}, {"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }',
    canonical: '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: -4860222112080293046n,
  },
  { input: '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}', canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', fingerprint: -4448647247586288245n },
  { input: '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}', canonical: '{"name":"x.y.z.foo","type":"fixed","size":32}', fingerprint: -3064184465700546786n },
  { input: '{ "items":{"type":"null"}, "type":"array"}', canonical: '{"type":"array","items":"null"}', fingerprint: -589620603366471059n },
  { input: '{ "values":"string", "type":"map"}', canonical: '{"type":"map","values":"string"}', fingerprint: -8732877298790414990n },
  {
    input: '{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    canonical: '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    fingerprint: -1759257747318642341n,
  },
];

describe('Parsing Canonical Form and CRC-64-AVRO', () => {
  for (const v of VECTORS) {
    it(`canonicalises ${v.input}`, () => {
      const pcf = parsingCanonicalForm(JSON.parse(v.input));
      expect(pcf).toBe(v.canonical);
      if (v.fingerprint !== undefined) expect(BigInt.asIntN(64, rabinFingerprint64(pcf))).toBe(v.fingerprint);
    });
  }

  it('writes the fingerprint little-endian, as in the single-object header of "int"', () => {
    expect([...schemaFingerprint('int')]).toEqual([0x8f, 0x5c, 0x39, 0x3f, 0x1a, 0xd5, 0x75, 0x72]);
    expect(rabinFingerprint64('"int"')).toBe(0x7275d51a3f395c8fn);
  });

  it('drops logical types and qualifies nested named types with the enclosing namespace', () => {
    const schema = {
      type: 'record', name: 'E', namespace: 'n',
      fields: [
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'g', type: ['null', { type: 'record', name: 'G', fields: [{ name: 'x', type: 'int' }] }], default: null },
        { name: 'h', type: ['null', 'G'] },
      ],
    };
    expect(parsingCanonicalForm(schema)).toBe(
      '{"name":"n.E","type":"record","fields":[{"name":"ts","type":"long"},{"name":"g","type":["null",{"name":"n.G","type":"record","fields":[{"name":"x","type":"int"}]}]},{"name":"h","type":["null","n.G"]}]}',
    );
  });
});
