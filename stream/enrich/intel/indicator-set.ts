/**
 * Deduplicates indicators across feeds: one entry per (type, value), keeping every
 * source, the highest confidence, the earliest first_seen and the latest last_seen.
 */
import { indicatorKey, type Indicator } from './indicator.js';

function minOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
function maxOf(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

export function mergeIndicator(into: Indicator, other: Indicator): void {
  for (const s of other.sources) if (!into.sources.includes(s)) into.sources.push(s);
  into.confidence = maxOf(into.confidence, other.confidence);
  into.first_seen = minOf(into.first_seen, other.first_seen);
  into.last_seen = maxOf(into.last_seen, other.last_seen);
}

export class IndicatorSet {
  private readonly byKey = new Map<string, Indicator>();

  get size(): number {
    return this.byKey.size;
  }

  add(indicator: Indicator): void {
    const key = indicatorKey(indicator.type, indicator.value);
    const have = this.byKey.get(key);
    if (have) mergeIndicator(have, indicator);
    else this.byKey.set(key, { ...indicator, sources: [...indicator.sources] });
  }

  addAll(indicators: Iterable<Indicator>): this {
    for (const i of indicators) this.add(i);
    return this;
  }

  values(): IterableIterator<Indicator> {
    return this.byKey.values();
  }

  entries(): IterableIterator<[string, Indicator]> {
    return this.byKey.entries();
  }
}
