/**
 * Reassembles JSON documents that span many lines: files holding one pretty-printed
 * document (EVTX converted to JSON) or several concatenated ones. Brackets are counted
 * outside strings, so the assembler finds where a document ends without parsing it;
 * each finished document is then parsed whole by the caller.
 *
 * A document is capped at `maxBytes` like a line: beyond that its bytes are counted but
 * not kept, and the caller dead-letters it as oversized.
 */
import type { Line } from './line-splitter.js';

export interface JsonDocument {
  /** The document's bytes (lines joined with '\n'), at most maxBytes. */
  bytes: Buffer;
  /** Line on which the document starts; the record's origin_offset. */
  startLine: number;
  /** Full size in bytes; larger than bytes.length when the document was cut. */
  size: number;
  /** 'document': brackets balanced; 'junk': text outside any document; 'incomplete': input ended inside one. */
  kind: 'document' | 'junk' | 'incomplete';
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0xa0 || c === 0xef || c === 0xbb || c === 0xbf;
}

export class JsonDocumentAssembler {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private startLine = 0;

  constructor(private readonly maxBytes: number) {}

  get inDocument(): boolean {
    return this.depth > 0;
  }

  pushLine(line: Line, out: JsonDocument[]): void {
    const b = line.bytes;
    let segStart = 0;
    let i = 0;
    if (this.depth > 0) this.append(Buffer.from('\n'), 1);
    const lost = line.size - b.length; // bytes of an over-long line that were not kept
    while (i < b.length) {
      if (this.depth === 0) {
        while (i < b.length && isSpace(b[i]!)) i++;
        if (i >= b.length) break;
        const c = b[i]!;
        if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
          out.push({ bytes: Buffer.from(b.subarray(i)), startLine: line.lineNo, size: b.length - i + lost, kind: 'junk' });
          return;
        }
        this.startLine = line.lineNo;
        segStart = i;
      }
      for (; i < b.length; i++) {
        const c = b[i]!;
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) this.inString = false;
        } else if (c === QUOTE) this.inString = true;
        else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          this.depth--;
          if (this.depth === 0) {
            i++;
            this.append(b.subarray(segStart, i), i - segStart);
            out.push(this.take('document'));
            break;
          }
        }
      }
    }
    if (this.depth > 0) this.append(b.subarray(segStart), b.length - segStart + lost);
  }

  /** The unfinished document when the input ends inside one, else null. */
  finish(): JsonDocument | null {
    if (this.depth === 0) return null;
    return this.take('incomplete');
  }

  private append(bytes: Buffer, size: number): void {
    this.size += size;
    const room = this.maxBytes - this.kept;
    if (room <= 0 || bytes.length === 0) return;
    const piece = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.parts.push(piece);
    this.kept += piece.length;
  }

  private take(kind: JsonDocument['kind']): JsonDocument {
    const doc: JsonDocument = { bytes: Buffer.concat(this.parts, this.kept), startLine: this.startLine, size: this.size, kind };
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return doc;
  }
}
