/**
 * Syslog listeners: UDP (one message per datagram) and TCP with both framings of RFC
 * 6587, octet counting (`<length> <message>`) and newline-delimited (a frame starting
 * with a digit is octet-counted, otherwise it ends at LF). Every message becomes a
 * RawEvent or a dead letter through parseRecord; batches go to `onBatch` when
 * `batchSize` is reached or `lingerMs` after the first message, whichever comes first.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { NightjarError } from '../core/errors.js';
import type { DeadLetter, RawEvent } from '../schema/types.js';
import { ingestDeadLetter } from './dead-letter.js';
import { parseRecord } from './parse-record.js';

export interface SyslogEndpoint {
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** `udp://0.0.0.0:5514`, `tcp://127.0.0.1:6514`. */
export function parseSyslogEndpoint(spec: string): SyslogEndpoint {
  const m = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(spec);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new NightjarError('CONFIG_INVALID', `syslog endpoint ${JSON.stringify(spec)}: expected udp://HOST:PORT or tcp://HOST:PORT`);
  return { protocol: m[1] as 'udp' | 'tcp', host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

/**
 * Splits a TCP byte stream into syslog frames (RFC 6587). Pure and incremental: feed
 * chunks with `push`, collect frames; a malformed octet count is reported as a frame
 * error carrying the bytes it consumed, so they can be dead-lettered.
 */
export class SyslogTcpFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer, out: ({ frame: Buffer } | { error: string; bytes: Buffer })[]): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length === 0) return;
      const first = this.buf[0]!;
      if (first >= 0x30 && first <= 0x39) {
        // octet counting: digits, one space, then exactly that many bytes
        const sp = this.buf.indexOf(0x20);
        if (sp < 0) {
          if (this.buf.length > 10) return this.fail(out, 'octet count is not followed by a space');
          return;
        }
        const digits = this.buf.toString('latin1', 0, sp);
        const len = /^\d{1,9}$/.test(digits) ? Number(digits) : NaN;
        if (!Number.isFinite(len) || len === 0) return this.fail(out, `bad octet count ${JSON.stringify(digits.slice(0, 12))}`);
        if (len > this.maxFrameBytes) return this.fail(out, `frame of ${len} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
        if (this.buf.length < sp + 1 + len) return;
        out.push({ frame: this.buf.subarray(sp + 1, sp + 1 + len) });
        this.buf = this.buf.subarray(sp + 1 + len);
      } else {
        const lf = this.buf.indexOf(0x0a);
        if (lf < 0) {
          if (this.buf.length > this.maxFrameBytes) return this.fail(out, `line exceeds the ${this.maxFrameBytes}-byte limit`);
          return;
        }
        // CRLF line ends are common from Windows senders; the CR is framing, not message
        const line = this.buf.subarray(0, lf > 0 && this.buf[lf - 1] === 0x0d ? lf - 1 : lf);
        this.buf = this.buf.subarray(lf + 1);
        if (line.length > 0) out.push({ frame: line });
      }
    }
  }

  /** At connection close: what is left is one last frame (newline framing) or a truncated one. */
  end(out: ({ frame: Buffer } | { error: string; bytes: Buffer })[]): void {
    if (this.buf.length === 0) return;
    const first = this.buf[0]!;
    if (first >= 0x30 && first <= 0x39) out.push({ error: 'connection closed inside an octet-counted frame', bytes: this.buf });
    else out.push({ frame: this.buf });
    this.buf = Buffer.alloc(0);
  }

  /** A framing error loses sync: the rest of the buffer up to the next LF is dead-lettered. */
  private fail(out: ({ frame: Buffer } | { error: string; bytes: Buffer })[], error: string): void {
    const lf = this.buf.indexOf(0x0a);
    const cut = lf < 0 ? this.buf.length : lf + 1;
    out.push({ error, bytes: this.buf.subarray(0, cut) });
    this.buf = this.buf.subarray(cut);
  }
}

export interface SyslogBatch {
  events: RawEvent[];
  deadLetters: DeadLetter[];
}

export interface SyslogListenerOptions {
  endpoints: readonly SyslogEndpoint[];
  maxEventBytes: number;
  batchSize: number;
  lingerMs: number;
  /** Called with each batch; the listener waits for it before the next (backpressure for TCP). */
  onBatch(batch: SyslogBatch): Promise<void>;
  onError?(err: Error): void;
}

export class SyslogListener {
  private batch: SyslogBatch = { events: [], deadLetters: [] };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly tcpServers: Server[] = [];
  private readonly udpSockets: UdpSocket[] = [];
  private readonly sockets = new Set<Socket>();
  private counter = 0;
  /** Actual bound ports, in endpoint order (port 0 picks a free one). */
  readonly ports: number[] = [];

  private constructor(private readonly opts: SyslogListenerOptions) {}

  static async start(opts: SyslogListenerOptions): Promise<SyslogListener> {
    const l = new SyslogListener(opts);
    for (const ep of opts.endpoints) l.ports.push(await (ep.protocol === 'udp' ? l.listenUdp(ep) : l.listenTcp(ep)));
    return l;
  }

  private message(origin: string, bytes: Buffer): void {
    const offset = ++this.counter;
    const parsed = parseRecord(bytes, { origin, origin_offset: offset, format: 'syslog', maxEventBytes: this.opts.maxEventBytes });
    if (parsed?.event) this.batch.events.push(parsed.event);
    else if (parsed?.deadLetter) this.batch.deadLetters.push(parsed.deadLetter);
    this.schedule();
  }

  private frameError(origin: string, error: string, bytes: Buffer): void {
    this.batch.deadLetters.push(ingestDeadLetter('MALFORMED_RECORD', `syslog framing: ${error}`, Buffer.from(bytes), origin, ++this.counter, 'syslog'));
    this.schedule();
  }

  private schedule(): void {
    if (this.batch.events.length + this.batch.deadLetters.length >= this.opts.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.lingerMs);
  }

  /** Hands the current batch to onBatch; resolves when it (and earlier ones) are done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.batch;
    this.batch = { events: [], deadLetters: [] };
    if (batch.events.length + batch.deadLetters.length > 0) {
      this.flushing = this.flushing.then(() => this.opts.onBatch(batch)).catch((err: unknown) => this.opts.onError?.(err as Error));
    }
    return this.flushing;
  }

  private listenUdp(ep: SyslogEndpoint): Promise<number> {
    const socket = createSocket(ep.host.includes(':') ? 'udp6' : 'udp4');
    this.udpSockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.on('message', (msg) => this.message(`syslog-udp:${ep.host}:${ep.port}`, msg));
      socket.bind(ep.port, ep.host, () => {
        socket.off('error', reject);
        socket.on('error', (err) => this.opts.onError?.(err));
        resolve(socket.address().port);
      });
    });
  }

  private listenTcp(ep: SyslogEndpoint): Promise<number> {
    const server = createServer((sock) => {
      this.sockets.add(sock);
      const origin = `syslog-tcp:${ep.host}:${ep.port}`;
      const framer = new SyslogTcpFramer(this.opts.maxEventBytes);
      const frames: ({ frame: Buffer } | { error: string; bytes: Buffer })[] = [];
      const drain = () => {
        for (const f of frames) 'frame' in f ? this.message(origin, f.frame) : this.frameError(origin, f.error, f.bytes);
        frames.length = 0;
      };
      sock.on('data', (chunk: Buffer) => {
        framer.push(chunk, frames);
        drain();
      });
      sock.on('end', () => {
        framer.end(frames);
        drain();
      });
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', (err) => this.opts.onError?.(err));
    });
    this.tcpServers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(ep.port, ep.host, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : ep.port);
      });
    });
  }

  /** Stops listening, lets open TCP connections finish their frames, flushes the last batch. */
  async close(): Promise<void> {
    for (const u of this.udpSockets) u.close();
    const closing = this.tcpServers.map((srv) => new Promise<void>((r) => srv.close(() => r())));
    for (const sock of this.sockets) sock.end();
    await Promise.all(closing);
    await this.flush();
  }
}
