import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../cli/config/load.js';

describe('config of the context enrichments', () => {
  it('defaults: all off, memory backend, a 7-day prevalence window', () => {
    const c = validateConfig({}, 'defaults', {});
    expect(c.enrich.intel).toEqual({ enabled: false, feeds: [], refresh: 60_000, backend: 'memory', cache_size: 200_000 });
    expect(c.enrich.vulns).toEqual({ enabled: false, scans: [] });
    expect(c.enrich.prevalence).toEqual({ enabled: false, window_days: 7 });
  });

  it('fills feed defaults and parses durations', () => {
    const c = validateConfig({ enrich: { intel: { enabled: true, refresh: '30s', feeds: [{ path: 'a.json' }, { path: 'b.txt', format: 'csv', source: 'block' }] } } }, 'x.yaml', {});
    expect(c.enrich.intel.feeds).toEqual([{ path: 'a.json', format: 'auto', source: null }, { path: 'b.txt', format: 'csv', source: 'block' }]);
    expect(c.enrich.intel.refresh).toBe(30_000);
  });

  it('names the path and the expectation of a wrong value, and rejects unknown keys', () => {
    expect(() => validateConfig({ enrich: { intel: { backend: 'redis' } } }, 'x.yaml', {})).toThrow(/enrich\.intel\.backend/);
    expect(() => validateConfig({ enrich: { intel: { feeds: [{ path: 'a', format: 'taxii' }] } } }, 'x.yaml', {})).toThrow(/enrich\.intel\.feeds\.0\.format/);
    expect(() => validateConfig({ enrich: { prevalence: { window_days: 0 } } }, 'x.yaml', {})).toThrow(/enrich\.prevalence\.window_days/);
    expect(() => validateConfig({ enrich: { vulns: { scan: ['a.xml'] } } }, 'x.yaml', {})).toThrow(/enrich\.vulns: unknown field\(s\) "scan"/);
  });
});
