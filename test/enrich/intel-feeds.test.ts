import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readFeed, detectFormat, parseFeed } from '../../stream/enrich/intel/feed.js';
import { IndicatorSet } from '../../stream/enrich/intel/indicator-set.js';
import { inferIndicator, normaliseUrl, canonicalIp, normaliseCidr } from '../../stream/enrich/intel/indicator.js';
import { parseStixPattern } from '../../stream/enrich/intel/stix.js';
import { NightjarError } from '../../core/errors.js';
import { repoRoot } from '../testdata.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures/intel', name);
const values = (r: { indicators: { type: string; value: string }[] }) => r.indicators.map((i) => `${i.type}:${i.value}`).sort();

describe('feed formats', () => {
  it('detects each format from the content', () => {
    expect(detectFormat(readFileSync(fixture('bundle.stix.json'), 'utf8'))).toBe('stix');
    expect(detectFormat(readFileSync(fixture('event.misp.json'), 'utf8'))).toBe('misp');
    expect(detectFormat(readFileSync(fixture('pulse.otx.json'), 'utf8'))).toBe('otx');
    expect(detectFormat(readFileSync(fixture('blocklist.txt'), 'utf8'))).toBe('csv');
    expect(detectFormat('{"hello": 1}')).toBeNull();
  });

  it('STIX: takes OR-joined comparisons, skips AND patterns, revoked, expired and non-STIX patterns', () => {
    const r = readFeed({ path: fixture('bundle.stix.json'), format: 'auto' });
    expect(values(r)).toEqual([
      'cidr:203.0.113.0/24',
      'domain:evil.example',
      'ip:198.51.100.7',
      'md5:0123456789abcdef0123456789abcdef',
      'sha256:4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
      'url:payloads.evil.example/stage2.ps1',
    ]);
    expect(r.skipped).toBe(4);
    expect(r.skippedExamples.join('\n')).toMatch(/AND/);
    expect(r.skippedExamples.join('\n')).toMatch(/revoked/);
    expect(r.skippedExamples.join('\n')).toMatch(/valid_until/);
    expect(r.skippedExamples.join('\n')).toMatch(/sigma/);
    const c2 = r.indicators.find((i) => i.value === 'evil.example')!;
    expect(c2).toMatchObject({ sources: ['bundle.stix.json'], confidence: 70, first_seen: Date.UTC(2024, 0, 10), last_seen: Date.UTC(2024, 1, 1) });
  });

  it('STIX patterns: escaped quotes, unsupported operators and paths', () => {
    const p = parseStixPattern("[domain-name:value = 'it\\'s.example' OR email-addr:value = 'a@b.c' OR url:value MATCHES '^x']");
    expect(p).toEqual({ comparisons: [{ type: 'domain', value: "it's.example" }], unsupported: ['email-addr:value =', 'url:value MATCHES'] });
    expect(parseStixPattern("[a:b = 'c'] FOLLOWEDBY [d:e = 'f']")).toHaveProperty('error');
    expect(parseStixPattern('[ipv4-addr:value = 1]')).toHaveProperty('error');
  });

  it('MISP: attributes and object attributes, composite types, to_ids=false and unknown types skipped', () => {
    const r = readFeed({ path: fixture('event.misp.json'), format: 'misp', source: 'misp-cert' });
    expect(values(r)).toEqual([
      'domain:evil.example',
      'domain:login.phish.test',
      'ip:192.0.2.44',
      'sha1:a9993e364706816aba3e25717850c26c9cd0d89d',
      'sha256:4f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8',
      'url:payloads.evil.example/stage2.ps1',
    ]);
    expect(r.skipped).toBe(3); // to_ids false, email-src, an invalid sha1
    const sha1 = r.indicators.find((i) => i.type === 'sha1')!;
    expect(sha1).toMatchObject({ sources: ['misp-cert'], confidence: 90, first_seen: Date.UTC(2023, 10, 30, 8), last_seen: 1709337600_000 });
  });

  it('OTX: maps types, skips inactive, expired and unsupported indicators', () => {
    const r = readFeed({ path: fixture('pulse.otx.json'), format: 'otx' });
    expect(values(r)).toEqual([
      'cidr:198.51.100.0/25',
      'domain:cdn.evil.example',
      'domain:evil.example',
      'ip:2001:db8:bad:0:0:0:0:1',
      'md5:d41d8cd98f00b204e9800998ecf8427e',
      'url:dl.phish.test/invoice.zip',
    ]);
    expect(r.skipped).toBe(3);
  });

  it('plain lists: infers types, reads defanged values, counts what it cannot tell', () => {
    const r = readFeed({ path: fixture('blocklist.txt'), format: 'auto' });
    expect(values(r)).toEqual([
      'cidr:192.0.2.128/26',
      'domain:badsite.test',
      'ip:192.0.2.10',
      'sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'url:defanged.test/path',
    ]);
    expect(r.skipped).toBe(1);
    expect(r.skippedExamples[0]).toMatch(/blocklist.txt:8/);
  });

  it('CSV with a header: explicit types, confidence and dates; unknown types skipped', () => {
    const r = readFeed({ path: fixture('indicators.csv'), format: 'csv' });
    expect(values(r)).toEqual(['domain:evil.example', 'ip:198.51.100.7', 'url:payloads.evil.example/stage2.ps1']);
    expect(r.indicators[0]).toMatchObject({ confidence: 95, first_seen: Date.UTC(2023, 9, 1), last_seen: Date.UTC(2024, 3, 1) });
    expect(r.skipped).toBe(1);
  });

  it('refuses a file it cannot read or parse with a clear error', () => {
    expect(() => readFeed({ path: '/nonexistent/feed.json', format: 'auto' })).toThrow(/cannot read the intel feed/);
    expect(() => parseFeed('{"hello": 1}', 'auto', 'x.json')).toThrow(NightjarError);
    expect(() => parseFeed('{not json', 'stix', 'x.json')).toThrow(/not valid JSON/);
  });
});

describe('deduplication across feeds', () => {
  it('keeps every source, the highest confidence, the earliest first_seen and the latest last_seen', () => {
    const set = new IndicatorSet();
    for (const [name, format] of [['bundle.stix.json', 'stix'], ['event.misp.json', 'misp'], ['pulse.otx.json', 'otx'], ['indicators.csv', 'csv']] as const) {
      set.addAll(readFeed({ path: fixture(name), format }).indicators);
    }
    const evil = [...set.values()].find((i) => i.type === 'domain' && i.value === 'evil.example')!;
    expect(evil.sources.sort()).toEqual(['bundle.stix.json', 'event.misp.json', 'indicators.csv', 'pulse.otx.json']);
    expect(evil.confidence).toBe(95);
    expect(evil.first_seen).toBe(Date.UTC(2023, 9, 1)); // from the CSV
    expect(evil.last_seen).toBe(Date.UTC(2024, 3, 1));
    const sha = [...set.values()].filter((i) => i.type === 'sha256');
    expect(sha).toHaveLength(1); // upper-case in STIX, lower-case in MISP: one indicator
    expect(sha[0]!.sources.sort()).toEqual(['bundle.stix.json', 'event.misp.json']);
  });
});

describe('normal forms', () => {
  it('URLs compare without scheme, fragment, default port or host case', () => {
    expect(normaliseUrl('HTTPS://Evil.Example:443/a/../b?x=1#f')).toBe('evil.example/b?x=1');
    expect(normaliseUrl('evil.example:8080/x')).toBe('evil.example:8080/x');
    expect(normaliseUrl('http://')).toBeNull();
  });

  it('addresses and ranges', () => {
    expect(canonicalIp('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(canonicalIp('2001:DB8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normaliseCidr('10.1.2.3/8')).toEqual({ type: 'cidr', value: '10.0.0.0/8' });
    expect(normaliseCidr('10.1.2.3/32')).toEqual({ type: 'ip', value: '10.1.2.3' });
    expect(normaliseCidr('10.1.2.3/33')).toBeNull();
  });

  it('inference does not mistake words or file names for indicators', () => {
    expect(inferIndicator('hello')).toBeNull();
    expect(inferIndicator('Bücher.example')).toEqual({ type: 'domain', value: 'xn--bcher-kva.example' });
    expect(inferIndicator('0123')).toBeNull();
  });
});
