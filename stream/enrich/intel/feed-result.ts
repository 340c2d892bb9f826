/**
 * What an importer returns: the indicators it understood and, so nothing is dropped
 * silently, a count of what it skipped with the first few reasons.
 */
import type { Indicator, IndicatorType } from './indicator.js';
import { normaliseIndicator } from './indicator.js';

const EXAMPLES = 20;

export class FeedResult {
  readonly indicators: Indicator[] = [];
  skipped = 0;
  readonly skippedExamples: string[] = [];

  constructor(readonly source: string) {}

  skip(what: string, reason: string): void {
    this.skipped++;
    if (this.skippedExamples.length < EXAMPLES) this.skippedExamples.push(`${what.slice(0, 120)}: ${reason}`);
  }

  /** Normalises and adds one value; skips it with a reason when it is not a valid value of its type. */
  add(
    type: IndicatorType,
    raw: string,
    meta: { confidence?: number | null; first_seen?: number | null; last_seen?: number | null } = {},
  ): void {
    const n = normaliseIndicator(type, raw);
    if (!n) {
      this.skip(raw, `not a valid ${type}`);
      return;
    }
    this.indicators.push({
      type: n.type,
      value: n.value,
      sources: [this.source],
      confidence: meta.confidence ?? null,
      first_seen: meta.first_seen ?? null,
      last_seen: meta.last_seen ?? meta.first_seen ?? null,
    });
  }
}
