/**
 * Avro single-object encoding speed on realistic events (shared Windows files), against
 * the JSON.stringify / JSON.parse floor of the same events, in one run.
 *
 *   npm run build && node dist/bench/avro-codec.js [--rows 50000]
 */
import { decodeEvent, encodeEvent } from '../schema/avro.js';
import { loadWindowsEvents } from './lake-rows.js';

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

const argRows = process.argv.indexOf('--rows');
const n = argRows > 0 ? Number(process.argv[argRows + 1]) : 50_000;
const events = loadWindowsEvents(n);
let encoded: Buffer[] = [];
let json: string[] = [];
for (let round = 0; round < 2; round++) { // the first round warms the JIT
  const enc = time(() => { encoded = events.map(encodeEvent); });
  const dec = time(() => { for (const b of encoded) decodeEvent(b); });
  const str = time(() => { json = events.map((e) => JSON.stringify(e)); });
  const par = time(() => { for (const s of json) JSON.parse(s); });
  if (round === 1) {
    const avroBytes = encoded.reduce((s, b) => s + b.length, 0) / n;
    const jsonBytes = json.reduce((s, j) => s + Buffer.byteLength(j), 0) / n;
    const rate = (s: number) => Math.round(n / s).toLocaleString('en-US');
    console.log(`| operation | events/s | bytes/event |\n|---|---:|---:|`);
    console.log(`| Avro single-object encode | ${rate(enc)} | ${avroBytes.toFixed(0)} |`);
    console.log(`| Avro single-object decode | ${rate(dec)} | |`);
    console.log(`| JSON.stringify (floor) | ${rate(str)} | ${jsonBytes.toFixed(0)} |`);
    console.log(`| JSON.parse (floor) | ${rate(par)} | |`);
    console.log(`encode/stringify ratio ${(str / enc).toFixed(2)}, decode/parse ratio ${(par / dec).toFixed(2)} (>1 means Avro is faster)`);
  }
}
