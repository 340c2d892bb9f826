// `nightjar pdns` against the realtime passive DNS store on the real Redis: the stage
// writes pairs, the command reads them back (JSON lines and CSV).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisStateStore } from '../../stream/state/redis.js';
import { PassiveDnsStage } from '../../stream/enrich/passive-dns.js';
import { pdnsCommand } from '../../cli/commands/pdns.js';
import { makeEvent } from '../fixtures/event.js';
import { requireService, runId, services, tcpProbe } from './env.js';

const up = await requireService('redis', () => tcpProbe(services.redis.url));

describe.runIf(up)('nightjar pdns --from state (Redis)', () => {
  const prefix = `${runId('pdns')}:`;
  let dir: string;
  let config: string;
  let store: RedisStateStore;

  beforeAll(async () => {
    store = await RedisStateStore.create(services.redis.url, prefix);
    const stage = new PassiveDnsStage(store, { retentionSeconds: 3_600, maxAnswersPerEvent: 64 });
    const dns = (ts: number, q: string, a: string) => makeEvent({ ts, event_type: 'dns_query', dns_query: q, dns_answers: a });
    await stage.run([
      dns(Date.UTC(2024, 4, 1, 10), 'update.evil.example', 'type:  5 cdn.evil.example;::ffff:203.0.113.9;'),
      dns(Date.UTC(2024, 4, 1, 11), 'update.evil.example', '203.0.113.9'),
    ]);
    await stage.run([dns(Date.UTC(2024, 4, 2, 9), 'mail.evil.example', '203.0.113.9')]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-pdns-cli-'));
    config = path.join(dir, 'nightjar.yaml');
    await writeFile(config, `state:\n  backend: redis\n  redis:\n    url: ${services.redis.url}\n    key_prefix: "${prefix}"\n`);
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function capture(argv: string[]): Promise<string> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      expect(await pdnsCommand(argv)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    return out;
  }

  it('lists the names that resolved to an address, with counts and first/last seen', async () => {
    const lines = (await capture(['203.0.113.9', '--format', 'json', '--config', config])).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { query: 'update.evil.example', answer: '203.0.113.9', count: 2, first_seen: '2024-05-01T10:00:00.000Z', last_seen: '2024-05-01T11:00:00.000Z' },
      { query: 'mail.evil.example', answer: '203.0.113.9', count: 1, first_seen: '2024-05-02T09:00:00.000Z', last_seen: '2024-05-02T09:00:00.000Z' },
    ]);
  });

  it('lists a name\'s answers as CSV', async () => {
    expect(await capture(['Update.Evil.Example.', '--format', 'csv', '--config', config])).toBe(
      'query,answer,count,first_seen,last_seen\n' +
        'update.evil.example,203.0.113.9,2,2024-05-01T10:00:00.000Z,2024-05-01T11:00:00.000Z\n' +
        'update.evil.example,cdn.evil.example,1,2024-05-01T10:00:00.000Z,2024-05-01T10:00:00.000Z\n',
    );
  });
});
