/**
 * Keeps a value loaded from a file and reloads it when the file's modification time
 * changes, checking at most every `checkEveryMs`: enrichment tables (sites, GeoIP,
 * intel) change without a restart. A reload that fails keeps the previous value, so a
 * half-written file never empties a table; the error is reported through `onError`.
 */
import { statSync } from 'node:fs';

export class ReloadingFile<T> {
  private value: T;
  private mtimeMs: number;
  private checkedAt = 0;

  constructor(
    readonly path: string,
    private readonly load: (path: string) => T,
    private readonly checkEveryMs = 5_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.mtimeMs = statSync(path).mtimeMs;
    this.value = load(path);
  }

  current(now = Date.now()): T {
    if (now - this.checkedAt >= this.checkEveryMs) {
      this.checkedAt = now;
      try {
        const mtimeMs = statSync(this.path).mtimeMs;
        if (mtimeMs !== this.mtimeMs) {
          this.value = this.load(this.path);
          this.mtimeMs = mtimeMs;
        }
      } catch (err) {
        this.onError(err);
      }
    }
    return this.value;
  }
}
