// The look-up enrichments wired from configuration (cli/wire.ts) on a real Windows
// dataset: reverse DNS against dnsmasq, LDAP against slapd, passive DNS in the state
// store. The zone and the directory hold the lab's hosts and users, written by this test.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NightjarEvent } from '../../schema/types.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { normalise } from '../../stream/normalise/index.js';
import { MemoryStateStore } from '../../stream/state/memory.js';
import { lookupPassiveDns } from '../../stream/enrich/passive-dns-store.js';
import { addressInScope } from '../../stream/enrich/reverse-dns.js';
import { validateConfig } from '../../cli/config/load.js';
import { createLookupStages } from '../../cli/wire.js';
import { metrics } from '../../core/metrics.js';
import { testdata } from '../testdata.js';
import { loadServicesEnv, repoRoot, requireService, runId, tcpProbe } from './env.js';

const run = promisify(execFile);
const env = loadServicesEnv();
const dnsServer = env.NIGHTJAR_DNS_SERVER ?? '127.0.0.1:15353';
const ldapUrl = env.NIGHTJAR_LDAP_URL ?? 'ldap://127.0.0.1:13389';
const suffix = env.NIGHTJAR_LDAP_SUFFIX ?? 'dc=corp,dc=example,dc=com';
const hostsDir = path.join(process.env.NIGHTJAR_STATE_DIR ?? path.join(repoRoot, '.services'), 'dns', 'hosts.d');

const dnsUp = await requireService('dns', () => tcpProbe(dnsServer));
const ldapUp = await requireService('ldap', () => tcpProbe(ldapUrl.replace('ldap://', '')));

describe.runIf(dnsUp && ldapUp)('reverse DNS, LDAP and passive DNS from config, on the metasploit LSASS dataset', () => {
  const file = testdata('windows/metasploit_logonpasswords_lsass_memory_dump.json.gz');
  const id = runId('chain');
  const ou = `ou=${id},${suffix}`;
  const hostsFile = path.join(hostsDir, id);
  const events: NightjarEvent[] = [];
  const state = new MemoryStateStore();
  let dir: string;
  const counter = (name: string, enrichment: string) => metrics.get(name, { enrichment });
  const before = { rdns: 0, ldap: 0 };

  beforeAll(async () => {
    await writeFile(hostsFile, '192.168.1.4 dc01.pandalab.com\n192.168.1.41 mkt01.pandalab.com\n');
    dir = await mkdtemp(path.join(os.tmpdir(), 'nightjar-chain-'));
    const ldif = path.join(dir, 'lab.ldif');
    await writeFile(ldif, [
      `dn: ${ou}\nobjectClass: organizationalUnit\nou: ${id}\n`,
      `dn: cn=svc,${ou}\nobjectClass: inetOrgPerson\ncn: svc\nsn: svc\nuserPassword: chain-pw\n`,
      `dn: cn=Pedro Gustavo,${ou}\nobjectClass: inetOrgPerson\nobjectClass: nightjarAdUser\ncn: Pedro Gustavo\nsn: Gustavo\ndisplayName: Pedro Gustavo\ntitle: Marketing Analyst\ndepartment: Marketing\nsAMAccountName: pedro.gustavo\nuserAccountControl: 512\nmemberOf: CN=Marketing,OU=Groups,${suffix}\n`,
      `dn: cn=Stevie Marie,${ou}\nobjectClass: inetOrgPerson\nobjectClass: nightjarAdUser\ncn: Stevie Marie\nsn: Marie\ndisplayName: Stevie Marie\nsAMAccountName: stevie.marie\nuserAccountControl: 66050\n`,
    ].join('\n'));
    await run('ldapadd', ['-x', '-H', ldapUrl, '-D', env.NIGHTJAR_LDAP_ADMIN_DN ?? '', '-w', env.NIGHTJAR_LDAP_ADMIN_PASSWORD ?? '', '-f', ldif]);

    const config = validateConfig({
      enrich: {
        reverse_dns: { enabled: true, servers: [dnsServer], timeout: '3s', scope: 'private' },
        passive_dns: { enabled: true },
        ldap: { enabled: true, url: ldapUrl, bind_dn: `cn=svc,${ou}`, base_dn: ou, user_filter: '(objectClass=inetOrgPerson)', domains: ['pandalab', 'pandalab.com'] },
      },
    }, 'test', { NIGHTJAR_LDAP_BIND_PASSWORD: 'chain-pw' });
    const stages = createLookupStages(config, state);
    expect(stages.map((s) => s.name)).toEqual(['enrich_passive_dns', 'enrich_reverse_dns', 'enrich_ldap']);
    before.rdns = counter('nightjar_enrich_lookups_total', 'reverse_dns');
    before.ldap = counter('nightjar_enrich_lookups_total', 'ldap');
    for await (const b of readInputs([file], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
      const batch: NightjarEvent[] = [];
      for (const raw of b.events) {
        try {
          batch.push(normalise(raw));
        } catch {
          // the normaliser's dead letters are its own tests' concern
        }
      }
      for (const stage of stages) await stage.run(batch);
      events.push(...batch);
    }
    for (const stage of stages) await stage.close?.();
  }, 180_000);

  afterAll(async () => {
    await rm(hostsFile, { force: true });
    await run('ldapdelete', ['-x', '-r', '-H', ldapUrl, '-D', env.NIGHTJAR_LDAP_ADMIN_DN ?? '', '-w', env.NIGHTJAR_LDAP_ADMIN_PASSWORD ?? '', ou]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('names every private address the zone knows, on every event, with one look-up per distinct address', () => {
    const distinct = new Set<string>();
    for (const e of events) for (const ip of [e.src_ip, e.dst_ip]) if (addressInScope(ip, 'private')) distinct.add(ip);
    expect(counter('nightjar_enrich_lookups_total', 'reverse_dns') - before.rdns).toBe(distinct.size);
    const names: Record<string, string[]> = { '192.168.1.4': ['dc01.pandalab.com'], '192.168.1.41': ['mkt01.pandalab.com'] };
    let named = 0;
    for (const e of events) {
      expect(e.src_dns_names).toEqual((e.src_ip && names[e.src_ip]) ?? []);
      expect(e.dst_dns_names).toEqual((e.dst_ip && names[e.dst_ip]) ?? []);
      if (e.src_dns_names!.length + e.dst_dns_names!.length > 0) named++;
    }
    expect(named).toBe(events.filter((e) => (e.src_ip && names[e.src_ip]) || (e.dst_ip && names[e.dst_ip])).length);
    expect(named).toBeGreaterThan(200);
  });

  it('gives PANDALAB users their directory attributes, looking each up once', () => {
    expect(counter('nightjar_enrich_lookups_total', 'ldap') - before.ldap).toBe(2);
    const byUser = new Map<string, number>();
    for (const e of events) {
      const u = `${e.user_domain}\\${e.user}`;
      if (u === 'PANDALAB\\pedro.gustavo') {
        expect(e.user_attrs).toEqual({ display_name: 'Pedro Gustavo', title: 'Marketing Analyst', department: 'Marketing', groups: ['Marketing'], manager: null, enabled: true, dn: `cn=Pedro Gustavo,${ou}` });
      } else if (u === 'PANDALAB\\stevie.marie') {
        expect(e.user_attrs?.enabled).toBe(false);
      } else {
        expect(e.user_attrs, u).toBeNull();
      }
      if (e.user_attrs) byUser.set(u, (byUser.get(u) ?? 0) + 1);
    }
    expect(byUser.get('PANDALAB\\pedro.gustavo')).toBeGreaterThan(1_000);
    expect(byUser.get('PANDALAB\\stevie.marie')).toBeGreaterThan(1_000);
  });

  it('records the Sysmon 22 resolutions of the DC as counted in the raw file', async () => {
    let expected = 0;
    for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
      if (!line.includes('"QueryName"')) continue;
      const r = JSON.parse(line) as { EventID: unknown; QueryName?: string; QueryResults?: string };
      if (String(r.EventID) === '22' && r.QueryName?.toLowerCase() === 'dc01.pandalab.com' && r.QueryResults?.split(';').includes('::ffff:192.168.1.4')) expected++;
    }
    expect(expected).toBeGreaterThan(0);
    const pairs = await lookupPassiveDns(state, 'dc01.pandalab.com');
    expect(pairs.find((p) => p.answer === '192.168.1.4')?.count).toBe(expected);
  });
});
