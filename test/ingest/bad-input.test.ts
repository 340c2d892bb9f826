import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readAll } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nightjar-bad-input-'));
const GOOD = '{"EventID":4624,"Channel":"Security","Hostname":"HOST1.corp.local","@timestamp":"2020-09-04T20:09:40.850Z","TargetUserName":"bob"}';

function file(name: string, content: Buffer | string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('bad input becomes dead letters with the original bytes', () => {
  it('classifies each bad line and keeps read = events + dead letters', async () => {
    const truncatedJson = Buffer.from('{"EventID":4624,"Channel":"Secu');
    const invalidUtf8 = Buffer.concat([Buffer.from('{"EventID":1,"Channel":"x","v":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const unknown = Buffer.from('just some words that are no log format');
    const junk = Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x41, 0x42]);
    const oversized = Buffer.from(`{"EventID":1,"Channel":"Security","pad":"${'x'.repeat(300)}"}`);
    const lines = [GOOD, truncatedJson, '', '   ', invalidUtf8, unknown, junk, oversized, GOOD];
    const p = file('mixed.json', Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')])));
    const { events, deadLetters } = await readAll([p], { maxEventBytes: 200 });
    expect(events.map((e) => e.origin_offset)).toEqual([1, 9]);
    const byLine = new Map(deadLetters.map((d) => [d.origin_offset, d]));
    expect([...byLine.keys()]).toEqual([2, 5, 6, 7, 8]);
    expect(byLine.get(2)).toMatchObject({ code: 'MALFORMED_JSON', stage: 'ingest', origin: p, raw: truncatedJson });
    expect(byLine.get(5)).toMatchObject({ code: 'INVALID_UTF8', raw: invalidUtf8 });
    expect(byLine.get(6)).toMatchObject({ code: 'UNKNOWN_FORMAT', raw: unknown });
    expect(byLine.get(7)!.code).toBe('UNKNOWN_FORMAT');
    expect(byLine.get(7)!.raw).toEqual(junk);
    const big = byLine.get(8)!;
    expect(big.code).toBe('OVERSIZED_EVENT');
    expect(big.raw).toEqual(oversized.subarray(0, 200));
    expect(big.reason).toContain(`${oversized.length} bytes`);
    expect(big.reason).toContain('first 200 bytes');
    // 7 non-empty lines read: 2 events + 5 dead letters; the two blank lines are not records
    expect(events.length + deadLetters.length).toBe(7);
  });

  it('reports a truncated .gz once, after the events before the cut', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => GOOD.replace('bob', `user${i}`)).join('\n') + '\n';
    const gz = gzipSync(body);
    const p = file('truncated.json.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { events, deadLetters } = await readAll([p]);
    expect(events.length).toBeGreaterThan(100);
    expect(events.length).toBeLessThan(2000);
    expect(deadLetters).toHaveLength(1);
    const d = deadLetters[0]!;
    expect(d.code).toBe('INPUT_UNREADABLE');
    expect(d.reason).toMatch(/unexpected end of file/);
    expect(d.origin_offset).toBe(events.length + 1);
    // the unfinished line's bytes are the beginning of the next record
    expect(GOOD.replace('bob', `user${events.length}`).startsWith(d.raw.toString('utf8'))).toBe(true);
  });

  it('caps a file without newlines at maxEventBytes instead of buffering it', async () => {
    const p = file('no-newlines.bin', Buffer.alloc(5 * 1024 * 1024, 0x41));
    const { events, deadLetters } = await readAll([p], { maxEventBytes: 1024 });
    expect(events).toHaveLength(0);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]!.code).toBe('OVERSIZED_EVENT');
    expect(deadLetters[0]!.raw.length).toBe(1024);
  });

  it('dead-letters a JSON document left open at the end and text between documents', async () => {
    const doc = JSON.stringify({ Event: { System: { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'pc1', TimeCreated: { '#attributes': { SystemTime: '2024-01-01T00:00:00Z' } } }, EventData: { Image: 'C:\\a.exe' } } }, null, 2);
    const p = file('docs.json', `${doc}\ngarbage here\n${doc}\n{\n  "Event": {\n`);
    const { events, deadLetters } = await readAll([p]);
    const lines = doc.split('\n').length;
    expect(events.map((e) => e.origin_offset)).toEqual([1, lines + 2]);
    expect(deadLetters.map((d) => [d.code, d.origin_offset])).toEqual([['MALFORMED_JSON', lines + 1], ['MALFORMED_JSON', 2 * lines + 2]]);
    expect(deadLetters[0]!.raw.toString()).toBe('garbage here');
  });

  it('reads stdin, gzip or not', async () => {
    const plain = await readAll(['-'], { stdin: Readable.from([Buffer.from(`${GOOD}\n\n${GOOD}`)]) });
    expect(plain.events.map((e) => [e.origin, e.origin_offset])).toEqual([['-', 1], ['-', 3]]);
    const zipped = await readAll(['-'], { stdin: Readable.from([gzipSync(`${GOOD}\n${GOOD}\n`)]) });
    expect(zipped.events).toHaveLength(2);
  });

  it('rejects a missing input path up front', async () => {
    await expect(readAll([join(dir, 'does-not-exist.log')])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });

  it('dead-letters Zeek TSV lines with the wrong column count, and data before #fields', async () => {
    const p = file('conn.log', '1.0\tC1\n#separator \\x09\n#fields\tts\tuid\n#types\ttime\tstring\n1.5\tC2\n2.5\tC3\textra\n');
    const { events, deadLetters } = await readAll([p]);
    expect(events.map((e) => [e.log_type, e.fields])).toEqual([['conn', { ts: 1.5, uid: 'C2' }]]);
    expect(deadLetters.map((d) => [d.code, d.origin_offset])).toEqual([['UNKNOWN_FORMAT', 1], ['MALFORMED_RECORD', 6]]);
  });
});
