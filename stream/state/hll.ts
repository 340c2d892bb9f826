/**
 * HyperLogLog distinct counting for the in-memory state store, matching what Redis
 * PFADD/PFCOUNT give the scale-out path. Small sets stay exact (a Set of hashes) and
 * switch to 2^14 dense registers (16 KiB, ~0.8% standard error, as in Redis) once they
 * grow, so millions of rarely-seen keys cost little memory.
 */
const P = 14;
const M = 1 << P;
const SPARSE_LIMIT = 512;
const ALPHA = 0.7213 / (1 + 1.079 / M);

/** FNV-1a 32-bit; cheap and good enough to spread short strings. */
function fnv1a(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // final avalanche (murmur3 fmix32) so nearby strings differ in the high bits
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class HyperLogLog {
  private sparse: Set<number> | null = new Set();
  private registers: Uint8Array | null = null;

  add(member: string): void {
    const h1 = fnv1a(member, 0);
    if (this.sparse) {
      // two independent 32-bit hashes identify a member in the exact phase
      this.sparse.add(h1 * 4096 + (fnv1a(member, 0x9e3779b9) >>> 20));
      if (this.sparse.size > SPARSE_LIMIT) this.densify();
      return;
    }
    this.addHash(h1, fnv1a(member, 0x9e3779b9));
  }

  count(): number {
    if (this.sparse) return this.sparse.size;
    const regs = this.registers!;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = regs[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const estimate = (ALPHA * M * M) / sum;
    if (estimate <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(estimate);
  }

  /**
   * The distinct count of the union of several sketches (Redis PFCOUNT with several
   * keys), without changing them: exact while the union stays small, else the union of
   * the dense registers (the register-wise maximum).
   */
  static countUnion(sketches: readonly HyperLogLog[]): number {
    if (sketches.length === 1) return sketches[0]!.count();
    const union = new HyperLogLog();
    for (const sketch of sketches) {
      let s = sketch;
      if (s.sparse && union.sparse) {
        for (const combined of s.sparse) union.sparse.add(combined);
        if (union.sparse.size > SPARSE_LIMIT) union.densify();
        continue;
      }
      if (union.sparse) union.densify();
      if (s.sparse) {
        const copy = new HyperLogLog();
        copy.sparse = new Set(s.sparse);
        copy.densify();
        s = copy;
      }
      const regs = union.registers!;
      const other = s.registers!;
      for (let i = 0; i < M; i++) if (other[i]! > regs[i]!) regs[i] = other[i]!;
    }
    return union.count();
  }

  private addHash(h1: number, h2: number): void {
    const index = h1 >>> (32 - P);
    const rank = Math.clz32(h2) + 1;
    const regs = this.registers!;
    if (rank > regs[index]!) regs[index] = rank;
  }

  private densify(): void {
    this.registers = new Uint8Array(M);
    for (const combined of this.sparse!) {
      const h1 = Math.floor(combined / 4096);
      const h2High = combined % 4096;
      // the stored 12 high bits of h2 decide the rank unless they are all zero;
      // then the rank is at least 13, which a 12-bit prefix cannot tell apart: use 13.
      this.addHash(h1, h2High === 0 ? 1 << 18 : h2High << 20);
    }
    this.sparse = null;
  }
}
