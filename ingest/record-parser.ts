/**
 * Turns the lines of one input (a file or stdin) into RawEvents and DeadLetters. It holds
 * what a format needs across lines: the Zeek TSV header, and whether the input is a
 * sequence of multi-line JSON documents (EVTX converted to JSON) instead of one record
 * per line. Every non-empty line ends up in exactly one event or dead letter (header
 * directives excepted), so read = events + dead letters.
 */
import { isUtf8 } from 'node:buffer';
import { asNightjarError, NightjarError } from '../core/errors.js';
import type { DeadLetter, RawEvent, RawFormat } from '../schema/types.js';
import { parseJson, parseJsonRecord, parseTextRecord } from './classify.js';
import { ingestDeadLetter } from './dead-letter.js';
import { JsonDocumentAssembler, type JsonDocument } from './json-documents.js';
import type { Line } from './line-splitter.js';
import type { ParsedRecord } from './parsers/parsed-record.js';
import { applyZeekDirective, newZeekTsvHeader, parseZeekTsvLine, zeekHeaderReady, zeekLogTypeFromPath, type ZeekTsvHeader } from './parsers/zeek.js';

export interface RecordParserOptions {
  format: 'auto' | RawFormat;
  maxEventBytes: number;
  /** Clock for RFC 3164 year resolution; tests pin it. */
  now?: () => number;
}

export interface RecordSink {
  events: RawEvent[];
  deadLetters: DeadLetter[];
}

/**
 * Strict UTF-8 decoding, as TextDecoder({ fatal: true }) would do, but with Node's
 * validator (simdutf) followed by Buffer.toString: the same verdict, measurably faster on
 * the hot path.
 */
const utf8 = {
  decode(b: Buffer): string {
    if (!isUtf8(b)) throw new TypeError('invalid UTF-8');
    return b.toString('utf8');
  },
};

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0b && c !== 0x0c) return false;
  }
  return true;
}

/** A first line that opens a JSON document without closing it: `{`, `[`, `{"Event": {`. */
function opensMultiLineDocument(text: string): boolean {
  const t = text.trim();
  if (t === '{' || t === '[') return true;
  const first = t[0];
  const last = t[t.length - 1];
  return (first === '{' || first === '[') && (last === '{' || last === '[' || last === ',');
}

export class RecordParser {
  private readonly forced: RawFormat | null;
  private readonly fileLogType: string | null;
  private zeek: ZeekTsvHeader | null = null;
  private mode: 'undecided' | 'lines' | 'documents' = 'undecided';
  private documents: JsonDocumentAssembler | null = null;
  private readonly docs: JsonDocument[] = [];

  constructor(readonly origin: string, private readonly opts: RecordParserOptions) {
    this.forced = opts.format === 'auto' ? null : opts.format;
    this.fileLogType = zeekLogTypeFromPath(origin);
  }

  /** Handles one line from the splitter. */
  line(line: Line, sink: RecordSink): void {
    if (this.mode === 'documents') {
      this.documents!.pushLine(line, this.docs);
      this.drainDocuments(sink);
      return;
    }
    if (line.size === line.bytes.length && isBlank(line.bytes)) return; // empty lines are not records
    if (line.size > this.opts.maxEventBytes) {
      sink.deadLetters.push(this.oversized(line.bytes, line.size, line.lineNo));
      return;
    }
    let text: string;
    try {
      text = utf8.decode(line.bytes);
    } catch {
      sink.deadLetters.push(this.dead('INVALID_UTF8', 'the line is not valid UTF-8', line.bytes, line.lineNo));
      return;
    }
    if (this.mode === 'undecided') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM opens some Windows exports
      if (this.forced !== 'syslog' && this.forced !== 'auditd' && opensMultiLineDocument(text)) {
        this.mode = 'documents';
        this.documents = new JsonDocumentAssembler(this.opts.maxEventBytes);
        this.documents.pushLine(line, this.docs);
        this.drainDocuments(sink);
        return;
      }
      this.mode = 'lines';
    }
    this.text(text, line.bytes, line.lineNo, sink);
  }

  /**
   * Handles one whole record (a syslog datagram, a message body): no line splitting and
   * no multi-line document detection; a JSON document may span lines.
   */
  record(bytes: Buffer, offset: number, sink: RecordSink): void {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 10 || bytes[end - 1] === 13)) end--;
    const body = end === bytes.length ? bytes : bytes.subarray(0, end);
    if (isBlank(body)) return;
    if (body.length > this.opts.maxEventBytes) {
      sink.deadLetters.push(this.oversized(body.subarray(0, this.opts.maxEventBytes), body.length, offset));
      return;
    }
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      sink.deadLetters.push(this.dead('INVALID_UTF8', 'the record is not valid UTF-8', body, offset));
      return;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.text(text, body, offset, sink);
  }

  /** Call at the end of the input: a JSON document left open becomes a dead letter. */
  end(sink: RecordSink): void {
    const open = this.documents?.finish();
    if (open) {
      sink.deadLetters.push(this.dead('MALFORMED_JSON', `input ended inside the JSON document that starts on line ${open.startLine}`, open.bytes, open.startLine));
    }
  }

  /** Parses one record's text; exported for the single-record API. */
  text(text: string, raw: Buffer, offset: number, sink: RecordSink): void {
    let parsed: ParsedRecord | null;
    try {
      parsed = this.parseText(text);
    } catch (err) {
      const e = asNightjarError(err, 'MALFORMED_RECORD');
      sink.deadLetters.push(this.dead(e.code, e.message, raw, offset));
      return;
    }
    if (parsed) {
      sink.events.push({ format: parsed.format, log_type: parsed.log_type, fields: parsed.fields, host_hint: parsed.host_hint, origin: this.origin, origin_offset: offset, raw });
    }
  }

  private parseText(text: string): ParsedRecord | null {
    const c = text.charCodeAt(0);
    if (c === 0x23 /* # */ && (this.forced === null || this.forced === 'zeek')) {
      this.zeek ??= newZeekTsvHeader();
      if (applyZeekDirective(text, this.zeek)) return null;
      throw new NightjarError('UNKNOWN_FORMAT', 'a # line that is not a Zeek header directive');
    }
    if (zeekHeaderReady(this.zeek) && (this.forced === null || this.forced === 'zeek')) {
      return parseZeekTsvLine(text, this.zeek, this.fileLogType);
    }
    let first = c;
    for (let i = 0; first === 0x20 || first === 0x09; ) first = text.charCodeAt(++i);
    if (first === 0x7b /* { */ || first === 0x5b /* [ */) return parseJsonRecord(parseJson(text), this.forced, this.fileLogType);
    return parseTextRecord(text, this.forced, this.opts.now?.());
  }

  private drainDocuments(sink: RecordSink): void {
    for (const doc of this.docs) this.document(doc, sink);
    this.docs.length = 0;
  }

  private document(doc: JsonDocument, sink: RecordSink): void {
    if (doc.size > this.opts.maxEventBytes) {
      sink.deadLetters.push(this.oversized(doc.bytes, doc.size, doc.startLine));
      return;
    }
    let text: string;
    try {
      text = utf8.decode(doc.bytes);
    } catch {
      sink.deadLetters.push(this.dead('INVALID_UTF8', 'the JSON document is not valid UTF-8', doc.bytes, doc.startLine));
      return;
    }
    if (doc.kind === 'junk') {
      sink.deadLetters.push(this.dead('MALFORMED_JSON', 'text outside any JSON document', doc.bytes, doc.startLine));
      return;
    }
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (err) {
      const e = asNightjarError(err, 'MALFORMED_JSON');
      sink.deadLetters.push(this.dead(e.code, e.message, doc.bytes, doc.startLine));
      return;
    }
    // a top-level array holds several records; they share the document's start line
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      try {
        const parsed = parseJsonRecord(v, this.forced, this.fileLogType);
        const raw = values.length === 1 ? doc.bytes : Buffer.from(JSON.stringify(v));
        sink.events.push({ ...parsed, origin: this.origin, origin_offset: doc.startLine, raw });
      } catch (err) {
        const e = asNightjarError(err, 'MALFORMED_RECORD');
        sink.deadLetters.push(this.dead(e.code, e.message, values.length === 1 ? doc.bytes : Buffer.from(JSON.stringify(v) ?? ''), doc.startLine));
      }
    }
  }

  private oversized(bytes: Buffer, size: number, offset: number): DeadLetter {
    const max = this.opts.maxEventBytes;
    return this.dead('OVERSIZED_EVENT', `the record is ${size} bytes, over the limit of ${max}; raw holds its first ${max} bytes`, bytes, offset);
  }

  private dead(code: NightjarError['code'], reason: string, raw: Buffer, offset: number): DeadLetter {
    return ingestDeadLetter(code, reason, raw, this.origin, offset, this.forced ?? 'unknown');
  }
}
