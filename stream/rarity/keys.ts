/**
 * The keys of an event that rarity is judged on: the count stage's kinds and formats
 * (stream/count/keys.ts, so baselines, live counters and rarity describe the same
 * things) plus DNS names: the full name queried (`domain`) and its registered domain
 * (`registered_domain`). The models compute the same keys in SQL
 * (models/baselines/staging/stg_window_events.sql, models/macros/engine.sql).
 */
import type { NightjarEvent } from '../../schema/types.js';
import { statKeys, type StatKind } from '../count/keys.js';

export type RarityKind = StatKind | 'domain' | 'registered_domain';
export const RARITY_KINDS: readonly RarityKind[] = ['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain'];

export interface RarityKey {
  kind: RarityKind;
  key: string;
}

/**
 * The registered domain without a public-suffix list: the last two labels, or three under
 * the common second-level labels of country-code domains (example.co.uk). The SQL macro
 * `registered_domain` uses this very pattern with regexp_extract; a name it does not match
 * (a single label) is its own registered domain.
 */
export const REGISTERED_DOMAIN = /([^.]+\.(?:(?:co|com|net|org|gov|edu|ac)\.[a-z]{2}|[^.]+))$/;

/** A DNS name as keyed: lower case, without the trailing root dot. */
export function dnsName(query: string): string {
  return query.toLowerCase().replace(/\.+$/, '');
}

export function registeredDomain(name: string): string {
  return REGISTERED_DOMAIN.exec(name)?.[1] ?? name;
}

export function rarityKeys(e: NightjarEvent): RarityKey[] {
  const keys: RarityKey[] = statKeys(e);
  if (e.dns_query) {
    const name = dnsName(e.dns_query);
    if (name) keys.push({ kind: 'domain', key: name }, { kind: 'registered_domain', key: registeredDomain(name) });
  }
  return keys;
}
