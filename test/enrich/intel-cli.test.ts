import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { intelCommand } from '../../cli/commands/intel.js';
import { UsageError } from '../../cli/args.js';
import { repoRoot } from '../testdata.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures/intel', name);

function capture(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
  return { text: () => chunks.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('nightjar intel', () => {
  it('import --dry-run reports per-feed counts, skips with reasons, and the deduplicated total', async () => {
    const out = capture();
    const code = await intelCommand(['import', '--dry-run', fixture('bundle.stix.json'), fixture('event.misp.json'), fixture('pulse.otx.json'), fixture('blocklist.txt')]);
    expect(code).toBe(0);
    expect(out.text()).toMatch(/bundle\.stix\.json: 6 indicators, 4 skipped/);
    expect(out.text()).toMatch(/skipped indicator--a1f0c1b2-0006-4c1e-9d6a-000000000006: revoked/);
    // 6 + 6 + 6 + 6 = 24 read; evil.example ×3, the sha256 ×2, the URL ×2 collapse
    expect(out.text()).toMatch(/^20 distinct indicators \(/m);
  });

  it('import into the memory state store is refused, since it would vanish', async () => {
    capture();
    await expect(intelCommand(['import', fixture('blocklist.txt')])).rejects.toThrow(/state.backend is memory/);
  });

  it('lookup finds a subdomain by its parent in the configured feeds, and exits 1 on no match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-intel-cli-'));
    const config = join(dir, 'nightjar.yaml');
    writeFileSync(config, `enrich:\n  intel:\n    enabled: true\n    feeds:\n      - path: ${fixture('bundle.stix.json')}\n      - path: ${fixture('pulse.otx.json')}\n        source: otx\n`);
    const out = capture();
    expect(await intelCommand(['lookup', 'www.evil.example', '--config', config, '-o', 'csv'])).toBe(0);
    expect(out.text().split('\n')[1]).toBe('evil.example,domain,"bundle.stix.json, otx",70,2023-12-20T10:00:00.000Z,2024-02-15T10:00:00.000Z');
    expect(await intelCommand(['lookup', '198.51.100.77', '--config', config, '-o', 'csv'])).toBe(0);
    expect(out.text()).toMatch(/198\.51\.100\.0\/25,cidr,otx/);
    expect(await intelCommand(['lookup', 'benign.test', '--config', config])).toBe(1);
    await expect(intelCommand(['lookup', 'not a value', '--config', config])).rejects.toThrow(UsageError);
  });
});
