/**
 * `nightjar demo` as a user runs it (small): every planted attack step is caught and the
 * attack day's alerts stay a small fraction of its events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { demoCommand } from '../../cli/commands/demo.js';

describe('nightjar demo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nightjar-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('catches every planted step with few alerts, and tells where the lake is', async () => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    let code: number;
    try {
      code = await demoCommand(['--days', '3', '--events-per-day', '4000', '--data-dir', dir]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const caught = out.match(/✔ caught/g) ?? [];
    expect(out).not.toContain('✘ missed');
    expect(caught.length).toBe(5);
    const rate = /flagged events: [\d,]+ \(([\d.]+)% of events\)/.exec(out);
    expect(rate).not.toBeNull();
    expect(Number(rate![1])).toBeLessThan(3);
    expect(out).toContain(`Lake: ${join(dir, 'demo', 'lake')}`);
    expect(out).toMatch(/read [\d,]+ = landed [\d,]+ \+ dead-lettered 0/);
  }, 300_000);
});
