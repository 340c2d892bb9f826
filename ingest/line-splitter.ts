/**
 * Splits a byte stream into lines without ever buffering more than `maxBytes` of one
 * line: a longer line keeps its first `maxBytes` bytes, the rest is counted and dropped,
 * so a file without newlines (binary junk, a runaway writer) cannot exhaust memory.
 *
 * Lines are numbered from 1 by physical newlines, empty lines included, so a line
 * number points at the same place an editor shows. A trailing '\r' (CRLF files) is
 * removed. Each line's bytes are copied out of the chunk so a retained RawEvent does not
 * pin the whole read buffer.
 */

export interface Line {
  /** The line's bytes without the newline; at most maxBytes long. */
  bytes: Buffer;
  /** 1-based physical line number. */
  lineNo: number;
  /** The full length of the line in bytes; larger than bytes.length when it was cut. */
  size: number;
}

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private lineNo = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends the complete lines found in `chunk` to `out`. */
  push(chunk: Buffer, out: Line[]): void {
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.keep(chunk, pos, chunk.length);
        return;
      }
      this.keep(chunk, pos, nl);
      out.push(this.take());
      pos = nl + 1;
    }
  }

  /** The last line when the input did not end with a newline, else null. */
  finish(): Line | null {
    if (this.size === 0 && this.parts.length === 0) return null;
    return this.take();
  }

  /** Bytes of an unfinished line, for reporting an input that ended early. */
  takePartial(): Line | null {
    return this.finish();
  }

  /** The number of the line that will come next. */
  get nextLineNo(): number {
    return this.lineNo + 1;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const len = end - start;
    if (len <= 0) return;
    this.size += len;
    const room = this.maxBytes - this.kept;
    if (room <= 0) return;
    const n = Math.min(room, len);
    this.parts.push(chunk.subarray(start, start + n));
    this.kept += n;
  }

  private take(): Line {
    this.lineNo++;
    let bytes: Buffer;
    if (this.parts.length === 1) bytes = Buffer.from(this.parts[0]!);
    else if (this.parts.length === 0) bytes = Buffer.alloc(0);
    else bytes = Buffer.concat(this.parts, this.kept);
    let size = this.size;
    // CRLF: the '\r' belongs to the line ending, not the record
    if (size === bytes.length && bytes.length > 0 && bytes[bytes.length - 1] === 13) {
      bytes = bytes.subarray(0, bytes.length - 1);
      size--;
    }
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    return { bytes, lineNo: this.lineNo, size };
  }
}
