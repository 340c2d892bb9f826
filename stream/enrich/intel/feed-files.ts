/**
 * The configured feed files, re-read when one changes. Each file's last good parse is
 * kept: a feed that becomes unreadable or half-written keeps its previous indicators
 * (reported through onError) instead of vanishing from the set.
 */
import { statSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFeed, type FeedSpec } from './feed.js';
import type { FeedResult } from './feed-result.js';
import { IndicatorSet } from './indicator-set.js';

interface Loaded {
  mtimeMs: number;
  size: number;
  result: FeedResult;
  digest: string;
}

export class FeedFiles {
  private readonly loaded = new Map<string, Loaded>();

  constructor(readonly specs: readonly FeedSpec[], private readonly onError: (spec: FeedSpec, err: unknown) => void = () => {}) {}

  /** Re-reads changed files; true when any changed (or on the first call). */
  poll(): boolean {
    let changed = false;
    for (const spec of this.specs) {
      let stat;
      try {
        stat = statSync(spec.path);
      } catch (err) {
        this.onError(spec, err);
        continue;
      }
      const have = this.loaded.get(spec.path);
      if (have && have.mtimeMs === stat.mtimeMs && have.size === stat.size) continue;
      try {
        const result = readFeed(spec);
        const digest = createHash('sha1').update(readFileSync(spec.path)).digest('hex');
        this.loaded.set(spec.path, { mtimeMs: stat.mtimeMs, size: stat.size, result, digest });
        changed = true;
      } catch (err) {
        this.onError(spec, err);
      }
    }
    return changed;
  }

  /** Every feed's indicators, deduplicated. */
  indicators(): IndicatorSet {
    const set = new IndicatorSet();
    for (const { result } of this.loaded.values()) set.addAll(result.indicators);
    return set;
  }

  results(): FeedResult[] {
    return [...this.loaded.values()].map((l) => l.result);
  }

  /** Names the content of every feed, so workers that see the same files import them once. */
  fingerprint(): string {
    const h = createHash('sha1');
    for (const spec of this.specs) h.update(`${spec.source ?? spec.path}\0${this.loaded.get(spec.path)?.digest ?? '-'}\0`);
    return h.digest('hex');
  }
}
