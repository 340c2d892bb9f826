/**
 * The three files of one day, written as streams with backpressure (so a day of millions
 * of events never sits in memory), optionally gzip-compressed the way agents often ship.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { zeekFooter, zeekHeader } from './zeek-records.js';

/** Bytes gathered before one write: few large writes instead of thousands of small ones. */
const FLUSH_AT = 1 << 20;

class Output {
  readonly path: string;
  private readonly file: WriteStream;
  private readonly head: Gzip | WriteStream;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(path: string, gzip: boolean) {
    this.path = path;
    this.file = createWriteStream(path, { highWaterMark: FLUSH_AT });
    if (gzip) {
      const z = createGzip({ level: 6 });
      z.pipe(this.file);
      this.head = z;
    } else {
      this.head = this.file;
    }
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.head.write(text)) await once(this.head, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const done = once(this.file, 'close');
    this.head.end();
    await done;
  }
}

export interface DayPaths {
  dir: string;
  windowsFile: string;
  zeekDir: string;
  zeekConnFile: string;
  zeekDnsFile: string;
}

export class DayFiles {
  readonly paths: DayPaths;
  private readonly windows: Output;
  private readonly conn: Output;
  private readonly dns: Output;

  private constructor(paths: DayPaths, gzip: boolean) {
    this.paths = paths;
    this.windows = new Output(paths.windowsFile, gzip);
    this.conn = new Output(paths.zeekConnFile, gzip);
    this.dns = new Output(paths.zeekDnsFile, gzip);
  }

  static async open(dir: string, gzip: boolean, openMs: number): Promise<DayFiles> {
    const ext = gzip ? '.gz' : '';
    const zeekDir = join(dir, 'zeek');
    await mkdir(zeekDir, { recursive: true });
    const files = new DayFiles({
      dir, zeekDir,
      windowsFile: join(dir, `windows.ndjson${ext}`),
      zeekConnFile: join(zeekDir, `conn.log${ext}`),
      zeekDnsFile: join(zeekDir, `dns.log${ext}`),
    }, gzip);
    await files.conn.write(zeekHeader('conn', openMs));
    await files.dns.write(zeekHeader('dns', openMs));
    return files;
  }

  async write(chunk: { windows: string; conn: string; dns: string }): Promise<void> {
    await this.windows.write(chunk.windows);
    await this.conn.write(chunk.conn);
    await this.dns.write(chunk.dns);
  }

  async close(closeMs: number): Promise<void> {
    await this.conn.write(zeekFooter(closeMs));
    await this.dns.write(zeekFooter(closeMs));
    await Promise.all([this.windows.close(), this.conn.close(), this.dns.close()]);
  }
}
