/**
 * Benchmark: the look-up enrichments (reverse DNS against dnsmasq, LDAP against slapd,
 * passive DNS in the state store) on the shared Windows datasets, against the same
 * pipeline with them off, in one run: a cold pass each (empty caches), then warm passes
 * alternating between the two. Only `pipeline.process` is timed.
 *
 * Needs the local DNS and LDAP servers (bash scripts/services/dns.sh start; ldap.sh start).
 * A survey pass (not timed) collects the private addresses and users in the data; every
 * second address gets a PTR record and every user a directory entry, so both positive
 * and negative answers are exercised.
 *
 *   npm run build && node dist/bench/lookups.js [--rounds 2] [--input PATH]   (from the repository root)
 *
 * `--input ../shared/testdata/zeek` measures the cold cost where there are many more
 * distinct addresses (the Windows files hold few).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { readInputs } from '../ingest/read-inputs.js';
import { normalise } from '../stream/normalise/index.js';
import { validateConfig } from '../cli/config/load.js';
import { createPipeline } from '../cli/wire.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import type { Pipeline } from '../stream/pipeline.js';
import { addressInScope } from '../stream/enrich/reverse-dns.js';
import { userIdentity } from '../stream/enrich/ldap.js';
import { metrics } from '../core/metrics.js';

const testdata = resolve(process.env['NIGHTJAR_TESTDATA'] ?? resolve(process.cwd(), '../shared/testdata'));
const inputArg = process.argv.indexOf('--input');
const windows = inputArg > 0 ? resolve(process.argv[inputArg + 1]!) : join(testdata, 'windows');
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 2;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const dnsServer = process.env['NIGHTJAR_DNS_SERVER'] ?? '127.0.0.1:15353';
const ldapUrl = process.env['NIGHTJAR_LDAP_URL'] ?? 'ldap://127.0.0.1:13389';
const suffix = process.env['NIGHTJAR_LDAP_SUFFIX'] ?? 'dc=corp,dc=example,dc=com';
const adminDn = process.env['NIGHTJAR_LDAP_ADMIN_DN'] ?? `cn=admin,${suffix}`;
const adminPassword = process.env['NIGHTJAR_LDAP_ADMIN_PASSWORD'] ?? 'nightjar-test-ldap-admin-not-a-secret';
const hostsDir = join(process.env['NIGHTJAR_STATE_DIR'] ?? resolve(process.cwd(), '.services'), 'dns', 'hosts.d');

// ---- survey (untimed): the addresses and users the lookups will see
const ips = new Set<string>();
const accounts = new Set<string>();
let surveyed = 0;
for await (const b of readInputs([windows], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
  for (const raw of b.events) {
    try {
      const e = normalise(raw);
      surveyed++;
      for (const ip of [e.src_ip, e.dst_ip]) if (addressInScope(ip, 'private')) ips.add(ip);
      const id = userIdentity(e, { domains: [] });
      if (id && id.kind !== 'sid') accounts.add(id.account);
    } catch {
      // dead letters are not this benchmark's subject
    }
  }
}

const id = `bench-${Date.now().toString(36)}`;
const ou = `ou=${id},${suffix}`;
const hostsFile = join(hostsDir, id);
writeFileSync(hostsFile, [...ips].filter((_, i) => i % 2 === 0).map((ip, i) => `${ip} host-${i}.lab.example`).join('\n') + '\n');
const work = mkdtempSync(join(tmpdir(), 'nj-bench-lookups-'));
const ldif = [`dn: ${ou}\nobjectClass: organizationalUnit\nou: ${id}\n`, `dn: cn=svc,${ou}\nobjectClass: inetOrgPerson\ncn: svc\nsn: svc\nuserPassword: bench\n`];
for (const a of accounts) {
  ldif.push(`dn: cn=${a},${ou}\nobjectClass: inetOrgPerson\nobjectClass: nightjarAdUser\ncn: ${a}\nsn: ${a}\ndisplayName: ${a}\ntitle: Staff\nsAMAccountName: ${a}\nuserAccountControl: 512\nmemberOf: CN=Domain Users,${suffix}\n`);
}
writeFileSync(join(work, 'users.ldif'), ldif.join('\n'));
execFileSync('ldapadd', ['-x', '-H', ldapUrl, '-D', adminDn, '-w', adminPassword, '-f', join(work, 'users.ldif')], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500)); // dnsmasq re-reads hosts.d on inotify

const offConfig = validateConfig({ data_dir: join(work, 'data'), enrich: { passive_dns: { enabled: false } } }, 'bench', {});
const onConfig = validateConfig(
  {
    data_dir: join(work, 'data'),
    enrich: {
      passive_dns: { enabled: true },
      reverse_dns: { enabled: true, servers: [dnsServer], timeout: '2s', scope: 'private' },
      ldap: { enabled: true, url: ldapUrl, bind_dn: `cn=svc,${ou}`, base_dn: ou, user_filter: '(objectClass=inetOrgPerson)' },
    },
  },
  'bench',
  { NIGHTJAR_LDAP_BIND_PASSWORD: 'bench' },
);

async function pass(pipeline: Pipeline): Promise<{ seconds: number; events: number; named: number; users: number }> {
  const out = { seconds: 0, events: 0, named: 0, users: 0 };
  for await (const batch of readInputs([windows], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 2_000 })) {
    const t0 = performance.now();
    const r = await pipeline.process(batch.events);
    out.seconds += (performance.now() - t0) / 1000;
    out.events += r.events.length;
    for (const e of r.events) {
      if (e.src_dns_names?.length || e.dst_dns_names?.length) out.named++;
      if (e.user_attrs) out.users++;
    }
  }
  return out;
}

const snapshot = () => {
  const m = (name: string, labels: Record<string, string>) => metrics.get(name, labels);
  const s: Record<string, number> = {};
  for (const cache of ['reverse_dns', 'ldap']) {
    for (const tier of ['l1', 'l2']) {
      s[`${cache}.${tier}.hits`] = m('nightjar_cache_hits_total', { cache, tier });
      s[`${cache}.${tier}.misses`] = m('nightjar_cache_misses_total', { cache, tier });
    }
    s[`${cache}.lookups`] = m('nightjar_enrich_lookups_total', { enrichment: cache });
    s[`${cache}.errors`] = m('nightjar_enrich_errors_total', { enrichment: cache });
    s[`${cache}.unresolved`] = m('nightjar_enrich_unresolved_total', { enrichment: cache });
  }
  return s;
};
function caches(before: Record<string, number>): string {
  const now = snapshot();
  const d = (k: string) => now[k]! - before[k]!;
  return ['reverse_dns', 'ldap']
    .map((c) => {
      const looked = d(`${c}.l1.hits`) + d(`${c}.l1.misses`);
      const hit = d(`${c}.l1.hits`) + d(`${c}.l2.hits`);
      return `${c}: ${looked ? ((100 * hit) / looked).toFixed(1) : '-'}% hits of ${fmt(looked)} distinct-per-batch keys, ${fmt(d(`${c}.lookups`))} sent to the server, ${fmt(d(`${c}.errors`))} errors, ${fmt(d(`${c}.unresolved`))} unresolved at the deadline`;
    })
    .join('; ');
}

const off = createPipeline(offConfig, new MemoryStateStore());
const on = createPipeline(onConfig, new MemoryStateStore());
console.log(`# look-up enrichments on vs off over ${windows} (${fmt(surveyed)} events), Node ${process.version}`);
console.log(`zone: ${fmt(Math.ceil(ips.size / 2))} of ${fmt(ips.size)} private addresses named; directory: ${fmt(accounts.size)} users`);
const offCold = await pass(off);
let before = snapshot();
const onCold = await pass(on);
console.log(`cold off: ${fmt(offCold.events / offCold.seconds)} ev/s`);
console.log(`cold on:  ${fmt(onCold.events / onCold.seconds)} ev/s (${(onCold.seconds / offCold.seconds).toFixed(2)}x the time of off) | ${caches(before)}`);
const warmOff: number[] = [];
const warmOn: number[] = [];
for (let r = 1; r <= rounds; r++) {
  const o = await pass(off);
  warmOff.push(o.events / o.seconds);
  before = snapshot();
  const p = await pass(on);
  warmOn.push(p.events / p.seconds);
  console.log(`warm${r} off ${fmt(o.events / o.seconds)} ev/s, on ${fmt(p.events / p.seconds)} ev/s | ${caches(before)} | events named ${fmt(p.named)}, with user attributes ${fmt(p.users)}`);
}
const bestOff = Math.max(...warmOff);
const bestOn = Math.max(...warmOn);
console.log(`RESULT warm: on ${fmt(bestOn)} ev/s vs off ${fmt(bestOff)} ev/s → throughput ratio ${(bestOn / bestOff).toFixed(2)} (cost ${((1 - bestOn / bestOff) * 100).toFixed(0)}%)`);
console.log(`RESULT cold: on ${fmt(onCold.events / onCold.seconds)} ev/s vs off ${fmt(offCold.events / offCold.seconds)} ev/s`);

await off.close();
await on.close();
rmSync(hostsFile, { force: true });
execFileSync('ldapdelete', ['-x', '-r', '-H', ldapUrl, '-D', adminDn, '-w', adminPassword, ou], { stdio: 'ignore' });
rmSync(work, { recursive: true, force: true });
