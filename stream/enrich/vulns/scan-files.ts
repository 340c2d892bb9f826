/**
 * The configured scan reports as one VulnIndex, rebuilt when a report changes. Each
 * report reloads on its own (ReloadingFile): a report that is rewritten badly keeps its
 * previous findings.
 */
import { ReloadingFile } from '../../../core/reloading-file.js';
import { readScan } from './scan-file.js';
import type { ScanResult } from './scan-result.js';
import { VulnIndex } from './vuln-index.js';

export class ScanFiles {
  private readonly files: ReloadingFile<ScanResult>[];
  private seen: ScanResult[] = [];
  private index = new VulnIndex();

  constructor(paths: readonly string[], checkEveryMs: number, onError: (path: string, err: unknown) => void = () => {}) {
    this.files = paths.map((p) => new ReloadingFile(p, readScan, checkEveryMs, (err) => onError(p, err)));
  }

  current(now = Date.now()): VulnIndex {
    const results = this.files.map((f) => f.current(now));
    if (results.length !== this.seen.length || results.some((r, i) => r !== this.seen[i])) {
      this.seen = results;
      this.index = VulnIndex.of(results);
    }
    return this.index;
  }
}
