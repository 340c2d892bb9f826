/**
 * The composition root's building blocks: picks the implementation of each port from the
 * configuration and assembles the stage list. The only place that knows both the
 * stages and the adapters.
 */
import { resolve } from 'node:path';
import type { NightjarConfig } from './config/schema.js';
import type { StateStore } from '../stream/state/port.js';
import type { Stage } from '../stream/stage.js';
import { MemoryStateStore } from '../stream/state/memory.js';
import { Pipeline } from '../stream/pipeline.js';
import { normalise } from '../stream/normalise/index.js';
import { SitesStage } from '../stream/enrich/sites.js';
import { loadSitesCsv } from '../stream/enrich/sites-csv.js';
import { GeoIpStage } from '../stream/enrich/geoip.js';
import { ReverseDnsStage } from '../stream/enrich/reverse-dns.js';
import { NodeDnsResolver } from '../stream/enrich/dns-resolver.js';
import { PassiveDnsStage } from '../stream/enrich/passive-dns.js';
import { LdapStage } from '../stream/enrich/ldap.js';
import { LdapDirectory } from '../stream/enrich/ldap-directory.js';
import { CountStage } from '../stream/count/stage.js';
import { DetectStage } from '../stream/detect/stage.js';
import { createRarityStage } from './wire-rarity.js';
import { createContextStages, createReloadingGeo } from './wire-context.js';
import { ReloadingFile } from '../core/reloading-file.js';
import { logger } from '../core/log.js';

const log = logger('wire');

export async function createStateStore(config: NightjarConfig): Promise<StateStore> {
  if (config.state.backend === 'redis') {
    const { RedisStateStore } = await import('../stream/state/redis.js');
    return RedisStateStore.create(config.state.redis.url, config.state.redis.key_prefix);
  }
  return new MemoryStateStore(config.state.max_keys);
}

export function createStages(config: NightjarConfig, state: StateStore): Stage[] {
  const stages: Stage[] = [];
  const { enrich, detect } = config;
  const onReloadError = (what: string) => (err: unknown) => log.warn(`reloading ${what} failed; keeping the previous version`, { error: (err as Error).message });
  if (enrich.sites_csv) {
    const sites = new ReloadingFile(resolve(enrich.sites_csv), loadSitesCsv, enrich.reload_check, onReloadError('the sites CSV'));
    stages.push(new SitesStage(() => sites.current()));
  }
  if (enrich.geoip.city_db || enrich.geoip.asn_db) {
    stages.push(new GeoIpStage(createReloadingGeo(config), enrich.geoip.cache_size));
  }
  stages.push(...createLookupStages(config, state));
  stages.push(...createContextStages(config, state));
  stages.push(new CountStage(state));
  const rarity = createRarityStage(config, state);
  if (rarity) stages.push(rarity);
  stages.push(
    new DetectStage(state, {
      watchlist: detect.watchlist,
      watchlistRoutineAfter: detect.watchlist_routine_after,
      learningWindowMs: detect.learning_window,
      firstSeenKinds: detect.first_seen_kinds,
      spray: detect.password_spray.enabled
        ? { windowMs: detect.password_spray.window, minDistinctUsers: detect.password_spray.min_distinct_users }
        : null,
    }),
  );
  return stages;
}

/** Reverse DNS, passive DNS and LDAP user attributes, each when enabled. */
export function createLookupStages(config: NightjarConfig, state: StateStore): Stage[] {
  const { reverse_dns: rdns, passive_dns: pdns, ldap } = config.enrich;
  const stages: Stage[] = [];
  if (pdns.enabled) {
    stages.push(new PassiveDnsStage(state, { retentionSeconds: pdns.retention / 1000, maxAnswersPerEvent: pdns.max_answers_per_event }));
  }
  if (rdns.enabled) {
    const resolver = new NodeDnsResolver({ servers: rdns.servers, timeoutMs: rdns.timeout, tries: rdns.tries, concurrency: rdns.concurrency });
    stages.push(
      new ReverseDnsStage(resolver, state, {
        timeoutMs: rdns.timeout, ttlMs: rdns.ttl, negativeTtlMs: rdns.negative_ttl, errorTtlMs: rdns.error_ttl,
        cacheSize: rdns.cache_size, maxNames: rdns.max_names, scope: rdns.scope,
      }),
    );
  }
  if (ldap.enabled) {
    const directory = new LdapDirectory({
      url: ldap.url, bindDn: ldap.bind_dn, bindPassword: ldap.bind_password, baseDn: ldap.base_dn!, userFilter: ldap.user_filter,
      timeoutMs: ldap.timeout, connectTimeoutMs: ldap.connect_timeout, maxPerSearch: ldap.max_per_search, attributes: ldap.attributes,
    });
    stages.push(
      new LdapStage(directory, state, {
        domains: ldap.domains, timeoutMs: ldap.timeout, ttlMs: ldap.ttl, negativeTtlMs: ldap.negative_ttl,
        errorBackoffMs: ldap.error_backoff, cacheSize: ldap.cache_size,
      }),
    );
  }
  return stages;
}

export function createPipeline(config: NightjarConfig, state: StateStore): Pipeline {
  return new Pipeline(normalise, createStages(config, state));
}
