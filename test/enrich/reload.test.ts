// Enrichment files change under a running pipeline: the sites CSV and the MaxMind
// databases are reloaded without a restart, through the stages as cli/wire.ts builds them.
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createStages } from '../../cli/wire.js';
import { validateConfig } from '../../cli/config/load.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import type { Stage } from '../../stream/stage.js';
import { makeEvent } from '../fixtures/event.js';
import { testdata } from '../testdata.js';

let bump = 0;
/** Rewrites a file and moves its mtime forward, as a deploy or an updater would. */
function replace(path: string, content: Buffer | string): void {
  writeFileSync(path, content);
  bump += 10_000;
  utimesSync(path, new Date(), new Date(Date.now() + bump));
}

function stage(stages: Stage[], name: string): Stage {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage ${name} in ${stages.map((x) => x.name).join(', ')}`);
  return s;
}

describe('reloading enrichment files without a restart', () => {
  it('the sites CSV: edited rows give new tags, a broken edit keeps the last good table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-sites-'));
    const csv = join(dir, 'sites.csv');
    writeFileSync(csv, 'cidr,site,location,owner\n10.1.0.0/16,hq,Amsterdam,it-ops\n');
    const config = validateConfig({ enrich: { sites_csv: csv, reload_check: '0ms' }, state: { backend: 'memory' } }, 'test', {});
    const sites = stage(createStages(config, new MemoryStateStore()), 'enrich_sites');
    const siteOf = async (ip: string) => {
      const e = makeEvent({ src_ip: ip });
      await sites.run([e]);
      return e.src_site?.site ?? null;
    };
    expect([await siteOf('10.1.2.3'), await siteOf('10.2.2.3')]).toEqual(['hq', null]);
    replace(csv, 'cidr,site,location,owner\n10.1.0.0/16,hq-moved,Utrecht,it-ops\n10.2.0.0/16,lab,Delft,\n');
    expect([await siteOf('10.1.2.3'), await siteOf('10.2.2.3')]).toEqual(['hq-moved', 'lab']);
    replace(csv, 'cidr,site\nnot-a-cidr,oops\n');
    expect([await siteOf('10.1.2.3'), await siteOf('10.2.2.3')]).toEqual(['hq-moved', 'lab']);
  });

  it('the GeoIP City database: a replaced file gives new answers, cached ones included; a wrong or broken file keeps the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nj-geo-'));
    const city = join(dir, 'City.mmdb');
    const asn = join(dir, 'ASN.mmdb');
    copyFileSync(testdata('maxmind', 'GeoIP2-City-Test.mmdb'), city);
    copyFileSync(testdata('maxmind', 'GeoLite2-ASN-Test.mmdb'), asn);
    const config = validateConfig({ enrich: { geoip: { city_db: city, asn_db: asn }, reload_check: '0ms' } }, 'test', {});
    const geoip = stage(createStages(config, new MemoryStateStore()), 'enrich_geoip');
    const geoOf = async (ip: string) => {
      const e = makeEvent({ dst_ip: ip });
      await geoip.run([e]);
      return e.dst_geo;
    };
    expect(await geoOf('81.2.69.160')).toMatchObject({ country: 'GB', city: 'London' });
    expect(await geoOf('1.128.0.1')).toMatchObject({ asn: 1221 });

    // A newer release of the database: same structure, the city renamed. Same-length
    // bytes keep every pointer of the MaxMind format valid.
    const original = readFileSync(testdata('maxmind', 'GeoIP2-City-Test.mmdb'));
    const renamed = Buffer.from(original.toString('latin1').split('London').join('Lundun'), 'latin1');
    expect(renamed.equals(original)).toBe(false);
    replace(city, renamed);
    expect(await geoOf('81.2.69.160')).toMatchObject({ country: 'GB', city: 'Lundun' });
    expect(await geoOf('1.128.0.1')).toMatchObject({ asn: 1221 }); // the ASN database is untouched

    // An ASN database dropped where the City one belongs is refused: the last good one stays.
    replace(city, readFileSync(testdata('maxmind', 'GeoLite2-ASN-Test.mmdb')));
    expect(await geoOf('81.2.69.160')).toMatchObject({ city: 'Lundun' });
    // So is a truncated copy (a download cut short).
    replace(city, original.subarray(0, 4096));
    expect(await geoOf('81.2.69.160')).toMatchObject({ city: 'Lundun' });

    // And the original comes back when restored.
    replace(city, original);
    expect(await geoOf('81.2.69.160')).toMatchObject({ city: 'London' });
  });
});
