/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so the synthetic enterprise is
 * byte-for-byte reproducible: same seed, same files. Math.random is never used.
 *
 * `fork(label)` derives an independent stream from the original seed and a label, so the
 * layout of the enterprise does not change when the event volume or the number of days
 * does, and day N is the same whether 3 or 7 days are generated.
 */

/** FNV-1a over a string: cheap, stable label hashing for `fork`. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const HEX = '0123456789abcdef';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    const st = { s: this.seed };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** An independent stream for `label`, independent of how much this one was used. */
  fork(label: string): Rng {
    return new Rng((this.seed ^ fnv1a(label)) + Math.imul(fnv1a(label + '#'), 0x27d4eb2d));
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Skewed towards the start of the list: a few favourites and a long tail. */
  pickSkewed<T>(items: readonly T[], skew = 2): T {
    if (items.length === 0) throw new Error('Rng.pickSkewed on an empty list');
    return items[Math.floor(Math.pow(this.next(), skew) * items.length)] as T;
  }

  /** Exponentially distributed with the given mean (inter-arrival times, durations). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += HEX[this.nextU32() & 15];
    return out;
  }

  base62(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += BASE62[this.nextU32() % 62];
    return out;
  }
}

/** Picks among items by fixed weights in O(log n), the cumulative table built once. */
export class WeightedPicker<T> {
  private readonly items: readonly T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    this.cumulative = [];
    let sum = 0;
    for (const [, w] of entries) {
      sum += w;
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new Error('WeightedPicker needs a positive total weight');
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
