import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseSyslogEndpoint, SyslogListener, SyslogTcpFramer, type SyslogBatch } from '../../ingest/syslog-listener.js';

type Out = ({ frame: Buffer } | { error: string; bytes: Buffer })[];
const frames = (out: Out) => out.map((f) => ('frame' in f ? f.frame.toString() : `ERR ${f.error}`));

describe('syslog TCP framing (RFC 6587)', () => {
  it('splits octet-counted and newline-delimited frames across arbitrary chunk boundaries', () => {
    const stream = Buffer.from('11 <13>hello 1\n<13>line two\r\n5 a b c<14>last');
    for (let cut = 1; cut < stream.length; cut++) {
      const framer = new SyslogTcpFramer(1024);
      const out: Out = [];
      framer.push(stream.subarray(0, cut), out);
      framer.push(stream.subarray(cut), out);
      framer.end(out);
      expect(frames(out)).toEqual(['<13>hello 1', '<13>line two', 'a b c', '<14>last']);
    }
  });

  it('turns a bad octet count, an oversized frame and a truncated frame into errors with their bytes', () => {
    const framer = new SyslogTcpFramer(16);
    const out: Out = [];
    framer.push(Buffer.from('99 too long for the limit\n<13>ok\n'), out);
    framer.push(Buffer.from('8 abc'), out);
    framer.end(out);
    expect(frames(out)).toEqual(['ERR frame of 99 bytes exceeds the 16-byte limit', '<13>ok', 'ERR connection closed inside an octet-counted frame']);
    expect((out[0] as { bytes: Buffer }).bytes.toString()).toBe('99 too long for the limit\n');
  });

  it('parses endpoints and rejects malformed ones', () => {
    expect(parseSyslogEndpoint('udp://127.0.0.1:5514')).toEqual({ protocol: 'udp', host: '127.0.0.1', port: 5514 });
    expect(parseSyslogEndpoint('tcp://[::1]:6514')).toEqual({ protocol: 'tcp', host: '::1', port: 6514 });
    expect(() => parseSyslogEndpoint('http://x:1')).toThrow(/udp:\/\/HOST:PORT/);
    expect(() => parseSyslogEndpoint('udp://x:99999')).toThrow();
  });

  it('receives RFC 5424 over UDP and RFC 3164 over TCP as raw events; garbage becomes a dead letter', async () => {
    const batches: SyslogBatch[] = [];
    const listener = await SyslogListener.start({
      endpoints: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }, { protocol: 'tcp', host: '127.0.0.1', port: 0 }],
      maxEventBytes: 4096,
      batchSize: 100,
      lingerMs: 20,
      onBatch: async (b) => void batches.push(b),
    });
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.send('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOMmsg', listener.ports[0]!, '127.0.0.1', () => r()));
    udp.close();
    await new Promise<void>((resolve, reject) => {
      const sock = connect(listener.ports[1]!, '127.0.0.1', () => {
        const m = "<13>Oct 11 22:14:15 web1 su[123]: 'su root' failed for lonvick on /dev/pts/8";
        sock.end(`${Buffer.byteLength(m)} ${m}not syslog at all\n`);
      });
      sock.on('close', () => resolve());
      sock.on('error', reject);
    });
    for (let i = 0; i < 100 && batches.flatMap((b) => [...b.events, ...b.deadLetters]).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await listener.close();
    const events = batches.flatMap((b) => b.events);
    const dead = batches.flatMap((b) => b.deadLetters);
    expect(events.map((e) => [e.format, e.host_hint, (e.fields as { app_name?: string }).app_name]).sort()).toEqual([
      ['syslog', 'mymachine', 'su'],
      ['syslog', 'web1', 'su'],
    ]);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.raw.toString()).toBe('not syslog at all');
  });
});
