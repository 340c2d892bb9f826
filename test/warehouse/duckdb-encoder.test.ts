import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine, DuckDbParquetEncoder } from '../../warehouse/sql/duckdb.js';
import { withDefaults } from '../../warehouse/lake/defaults.js';
import { makeDeadLetter, makeEvent } from './synthetic-events.js';

describe('DuckDbParquetEncoder, JSON route', () => {
  let dir: string;
  let encoder: DuckDbParquetEncoder;
  let engine: DuckDbEngine;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-encoder-'));
    encoder = await DuckDbParquetEncoder.create({ threads: 1 });
    engine = await DuckDbEngine.create({ threads: 1 });
  });
  afterAll(async () => {
    await encoder.close();
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lands rows whose strings JSON cannot carry cleanly (lone surrogates, NUL, quotes)', async () => {
    const odd = ['\ud800 lone high surrogate', 'nul\u0000inside', 'quote " and \\ backslash', 'ünïcödé ✓'];
    const rows = odd.map((text, i) => withDefaults('events', makeEvent({ origin_offset: i + 1, command_line: text, fields: { CommandLine: text } })));
    const file = path.join(dir, 'odd.parquet');
    await encoder.write('events', rows, file);
    const r = await engine.query(`SELECT origin_offset, command_line, fields['CommandLine'] FROM read_parquet('${file}') ORDER BY 1`);
    expect(r.rows.length).toBe(4);
    expect(r.rows.slice(1).map((row) => row[1])).toEqual(odd.slice(1));
    expect(r.rows.slice(1).map((row) => row[2])).toEqual(odd.slice(1));
  });

  it('keeps dead-letter bytes identical through base64', async () => {
    const raw = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13, 34, 92]);
    const file = path.join(dir, 'dl.parquet');
    await encoder.write('dead_letters', [withDefaults('dead_letters', makeDeadLetter({ raw }))], file);
    const r = await engine.query(`SELECT hex(raw) FROM read_parquet('${file}')`);
    expect(r.rows[0]![0]).toBe(raw.toString('hex').toUpperCase());
  });
});
