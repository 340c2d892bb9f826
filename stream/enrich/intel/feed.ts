/**
 * Reads one feed file in a given or detected format. Detection looks at the content,
 * not the file name: a STIX bundle has "type": "bundle", a MISP export an "Event", an
 * OTX pulse "indicators"; anything that is not JSON is a plain list or CSV.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { NightjarError } from '../../../core/errors.js';
import type { FeedResult } from './feed-result.js';
import { parseStix } from './stix.js';
import { parseMisp } from './misp.js';
import { parseOtx } from './otx.js';
import { parseTextList } from './text-list.js';

export type FeedFormat = 'stix' | 'misp' | 'otx' | 'csv';
export const FEED_FORMATS: readonly (FeedFormat | 'auto')[] = ['auto', 'stix', 'misp', 'otx', 'csv'];

export function detectFormat(text: string): FeedFormat | null {
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return 'csv';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const first = (Array.isArray(doc) ? doc[0] : doc) as Record<string, unknown> | undefined;
  if (!first || typeof first !== 'object') return null;
  if (first.type === 'bundle' || first.type === 'indicator') return 'stix';
  if ('Event' in first || 'response' in first) return 'misp';
  if ('indicators' in first || 'results' in first) return 'otx';
  return null;
}

export function parseFeed(text: string, format: FeedFormat | 'auto', source: string): FeedResult {
  const fmt = format === 'auto' ? detectFormat(text) : format;
  if (!fmt) throw new NightjarError('INTEL_FEED_INVALID', `${source}: cannot tell the feed format (STIX bundle, MISP event, OTX pulse, or a list)`);
  if (fmt === 'csv') return parseTextList(text, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new NightjarError('INTEL_FEED_INVALID', `${source}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return fmt === 'stix' ? parseStix(doc, source) : fmt === 'misp' ? parseMisp(doc, source) : parseOtx(doc, source);
}

export interface FeedSpec {
  path: string;
  format: FeedFormat | 'auto';
  /** The name matches report as their source; the file name by default. */
  source?: string | null;
}

export function readFeed(spec: FeedSpec): FeedResult {
  let text: string;
  try {
    text = readFileSync(spec.path, 'utf8');
  } catch (err) {
    throw new NightjarError('INTEL_FEED_INVALID', `cannot read the intel feed ${spec.path}: ${(err as Error).message}`, { cause: err });
  }
  return parseFeed(text, spec.format, spec.source ?? basename(spec.path));
}
