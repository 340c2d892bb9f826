/**
 * The two ways the configured feed files become an IndicatorLookup:
 *
 * - memory: each worker parses the feeds and holds the index; a changed file is
 *   re-parsed on the next refresh and the index swapped whole.
 * - state-store: the set lives in the state store. A worker that sees changed feed
 *   files imports them as a new version (once per content: importIndicators skips a
 *   fingerprint that is already current, and a lock keeps two workers from importing at
 *   once); every worker then reads the current version. With no feeds configured the
 *   workers only read what `nightjar intel import` put there.
 */
import type { StateStore } from '../../state/port.js';
import type { FeedSpec } from './feed.js';
import { FeedFiles } from './feed-files.js';
import { MemoryIndicatorIndex, MemoryIndicatorLookup } from './memory-index.js';
import { StateStoreIndicatorLookup, importIndicators } from './state-index.js';
import type { IndicatorLookup } from './lookup-port.js';

export type FeedErrorHandler = (spec: FeedSpec, err: unknown) => void;

export function memoryFeedLookup(feeds: readonly FeedSpec[], onError?: FeedErrorHandler): IndicatorLookup {
  const files = new FeedFiles(feeds, onError);
  files.poll();
  let index = new MemoryIndicatorIndex(files.indicators().entries());
  return new MemoryIndicatorLookup(
    () => index,
    async () => {
      if (files.poll()) index = new MemoryIndicatorIndex(files.indicators().entries());
    },
  );
}

export function stateStoreFeedLookup(store: StateStore, feeds: readonly FeedSpec[], onError?: FeedErrorHandler): StateStoreIndicatorLookup {
  const files = new FeedFiles(feeds, onError);
  let pending = false; // a change not yet imported (the last import failed): retry it
  return new StateStoreIndicatorLookup(store, async () => {
    if (feeds.length === 0) return;
    if (files.poll()) pending = true;
    if (!pending) return;
    await importIndicators(store, files.indicators().values(), { fingerprint: files.fingerprint() });
    pending = false;
  });
}
