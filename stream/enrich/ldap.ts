/**
 * Enrichment: directory attributes of the event's user into `user_attrs` (display name,
 * title, department, groups, manager, enabled, DN), from LDAP / Active Directory.
 *
 * The user comes in the forms sources write: `DOMAIN\user` (split by the normaliser into
 * user + user_domain), a UPN `user@dns.domain`, or a SID (the user field, or Windows'
 * TargetUserSid / SubjectUserSid when there is no name). Built-in principals (SYSTEM,
 * LOCAL SERVICE, DWM-1, …), machine accounts (`HOST$`) and users of domains the directory
 * does not serve are not looked up.
 *
 * Per batch: distinct identities → L1/L2 cache → one directory call for the rest (the
 * adapter ORs them into as few searches as it can), waited for at most `timeoutMs`. Users
 * the directory does not know are cached as negatives; when the directory fails, the stage
 * leaves `user_attrs` empty and stops asking for `errorBackoffMs`, so a dead LDAP server
 * costs one timeout per back-off period, not one per batch.
 */
import type { NightjarEvent, UserAttrs } from '../../schema/types.js';
import type { Stage } from '../stage.js';
import type { StateStore } from '../state/port.js';
import { identityKey, type UserDirectory, type UserIdentity } from './ldap-directory.js';
import { logger } from '../../core/log.js';
import { TieredCache } from './tiered-cache.js';
import { countErrors, countLookups, countUnresolved, observeLookup, reportHitRatio } from './enrich-metrics.js';

const log = logger('enrich_ldap');
const ENRICHMENT = 'ldap';

const BUILTIN_DOMAINS = new Set(['nt authority', 'nt service', 'builtin', 'window manager', 'font driver host', 'iis apppool', 'nt virtual machine', 'autorite nt']);
const BUILTIN_USERS = new Set(['system', 'local service', 'network service', 'anonymous logon', 'localsystem', '-', '']);
/** Account SIDs of a domain (or machine): S-1-5-21-a-b-c-RID. Well-known SIDs (S-1-5-18, …) are not directory users. */
const DOMAIN_SID = /^S-1-5-21-\d+-\d+-\d+-\d+$/;
const SID_FIELDS = ['TargetUserSid', 'SubjectUserSid', 'UserSid'] as const;

export interface UserIdentityOptions {
  /** NetBIOS and DNS names of the domains the directory serves, lower case; empty: any. */
  domains: readonly string[];
}

/** Which directory identity an event's user is, or null when it is not one to look up. Pure. */
export function userIdentity(event: Pick<NightjarEvent, 'user' | 'user_domain' | 'fields'>, opts: UserIdentityOptions): UserIdentity | null {
  let user = event.user?.trim().toLowerCase() ?? '';
  let domain = event.user_domain?.trim().toLowerCase() ?? '';
  if (user.includes('\\')) [domain, user] = [user.slice(0, user.indexOf('\\')), user.slice(user.indexOf('\\') + 1)];
  else if (user.includes('@')) [user, domain] = [user.slice(0, user.lastIndexOf('@')), user.slice(user.lastIndexOf('@') + 1)];

  if (/^s-1-[\d-]+$/.test(user)) {
    const sid = user.toUpperCase();
    return DOMAIN_SID.test(sid) ? { kind: 'sid', sid } : null;
  }
  if (user !== '') {
    if (BUILTIN_USERS.has(user) || user.endsWith('$') || /^(dwm|umfd)-\d+$/.test(user)) return null;
    if (domain !== '' && BUILTIN_DOMAINS.has(domain)) return null;
    if (domain !== '' && opts.domains.length > 0 && !opts.domains.includes(domain)) return null;
    return domain.includes('.') ? { kind: 'upn', upn: `${user}@${domain}`, account: user } : { kind: 'account', account: user };
  }
  for (const field of SID_FIELDS) {
    const sid = event.fields[field]?.trim().toUpperCase();
    if (sid && DOMAIN_SID.test(sid)) return { kind: 'sid', sid };
  }
  return null;
}

export interface LdapStageOptions extends UserIdentityOptions {
  timeoutMs: number;
  ttlMs: number;
  negativeTtlMs: number;
  errorBackoffMs: number;
  cacheSize: number;
}

export class LdapStage implements Stage {
  readonly name = 'enrich_ldap';
  private readonly cache: TieredCache<UserAttrs | null>;
  private backoffUntil = 0;
  private inflight: Promise<unknown> | null = null;

  constructor(
    private readonly directory: UserDirectory,
    state: StateStore | null,
    private readonly opts: LdapStageOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new TieredCache<UserAttrs | null>(
      { name: ENRICHMENT, prefix: 'ldap:', l1Size: opts.cacheSize, state, encode: (v) => v, decode: decodeUserAttrs },
      now,
    );
  }

  async run(events: NightjarEvent[]): Promise<void> {
    const ids = events.map((e) => userIdentity(e, this.opts));
    const wanted = new Map<string, UserIdentity>();
    for (const id of ids) if (id) wanted.set(identityKey(id), id);
    const { found, missing } = await this.cache.getMany([...wanted.keys()]);

    // one directory call at a time: a batch arriving while a slow one is still out waits for nothing
    if (missing.length > 0 && this.now() >= this.backoffUntil && !this.inflight) {
      const asked = missing.map((k) => wanted.get(k)!);
      const t0 = performance.now();
      countLookups(ENRICHMENT, asked.length);
      const call = this.directory.findUsers(asked).then(
        (answers) => {
          for (const [key, answer] of answers) {
            // frozen: events and the cache share one object per user
            const attrs = answer && freezeAttrs(answer);
            this.cache.put(key, attrs, attrs ? this.opts.ttlMs : this.opts.negativeTtlMs);
            found.set(key, attrs);
          }
        },
        (err: unknown) => {
          countErrors(ENRICHMENT);
          this.backoffUntil = this.now() + this.opts.errorBackoffMs;
          log.warn('directory look-up failed; user attributes stay empty until the back-off ends', { error: (err as Error).message, backoff_ms: this.opts.errorBackoffMs });
        },
      ).finally(() => {
        observeLookup(ENRICHMENT, (performance.now() - t0) / 1000);
        this.inflight = null;
      });
      this.inflight = call;
      // late answers still land in the cache (via `put`) for the next batch
      const answered = await settlesWithin(call, this.opts.timeoutMs);
      if (!answered) countUnresolved(ENRICHMENT, asked.length);
    }

    events.forEach((e, i) => {
      const id = ids[i];
      e.user_attrs = id ? (found.get(identityKey(id)) ?? null) : null;
    });
    await this.cache.flush();
    reportHitRatio(ENRICHMENT, this.cache.hitRatio());
  }

  async close(): Promise<void> {
    if (this.inflight) await this.inflight;
    await this.cache.flush();
    await this.directory.close();
  }
}

/** True when `work` settled within `ms`. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.then(() => true, () => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function freezeAttrs(a: UserAttrs): UserAttrs {
  Object.freeze(a.groups);
  return Object.freeze(a);
}

function decodeUserAttrs(raw: unknown): UserAttrs | null | undefined {
  if (raw === null) return null;
  if (typeof raw !== 'object' || !Array.isArray((raw as UserAttrs).groups)) return undefined;
  const r = raw as UserAttrs;
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return freezeAttrs({
    display_name: s(r.display_name), title: s(r.title), department: s(r.department),
    groups: r.groups.filter((g): g is string => typeof g === 'string'),
    manager: s(r.manager), enabled: typeof r.enabled === 'boolean' ? r.enabled : null, dn: s(r.dn),
  });
}
