import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { profilesYaml, writeProfiles } from '../../warehouse/baselines/profiles.js';

const duckdb = { dir: '/data/baselines/duckdb' };
const trino = { server: 'http://127.0.0.1:18081', catalog: 'hive', schema: 'nightjar_baselines', user: 'nightjar', password: null };

describe('dbt profile generation', () => {
  it('writes a duckdb and a trino target under the profile the project names', () => {
    const doc = parse(profilesYaml({ duckdb, trino })) as Record<string, any>;
    expect(Object.keys(doc)).toEqual(['nightjar']);
    expect(doc.nightjar.target).toBe('duckdb');
    expect(doc.nightjar.outputs.duckdb).toEqual({ type: 'duckdb', path: '/data/baselines/duckdb/baselines.duckdb', external_root: '/data/baselines/duckdb/tables', threads: 2 });
    expect(doc.nightjar.outputs.trino).toEqual({
      type: 'trino', method: 'none', host: '127.0.0.1', port: 18081, http_scheme: 'http', user: 'nightjar', database: 'hive', schema: 'nightjar_baselines', threads: 2,
    });
  });

  it('uses LDAP with the password over https, and the scheme default port', () => {
    const doc = parse(profilesYaml({ duckdb, trino: { ...trino, server: 'https://trino.corp.example', password: 's3cret' } }, 'trino')) as Record<string, any>;
    expect(doc.nightjar.target).toBe('trino');
    expect(doc.nightjar.outputs.trino).toMatchObject({ method: 'ldap', password: 's3cret', http_scheme: 'https', port: 443, host: 'trino.corp.example' });
  });

  it('rejects a server that is not an http(s) URL', () => {
    expect(() => profilesYaml({ duckdb, trino: { ...trino, server: 'trino:8080 ' } })).toThrow(/not an http\(s\) URL/);
  });

  it('writes profiles.yml readable by its owner only, and creates the DuckDB folders', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nj-profiles-'));
    try {
      const out = await writeProfiles(path.join(dir, 'dbt'), { duckdb: { dir: path.join(dir, 'duckdb') }, trino });
      const file = path.join(out, 'profiles.yml');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(parse(await readFile(file, 'utf8')).nightjar.outputs.duckdb.external_root).toBe(path.join(dir, 'duckdb', 'tables'));
      expect((await stat(path.join(dir, 'duckdb', 'tables'))).isDirectory()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
