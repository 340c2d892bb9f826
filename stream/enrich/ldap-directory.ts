/**
 * The user-directory port and its adapter over ldapts (the only file importing it).
 *
 * The port takes a batch of identities and answers them in as few searches as it can: one
 * search per `maxPerSearch` identities, with an OR of their account names, UPNs and SIDs,
 * then maps the entries back to the identities that asked for them.
 *
 * Active Directory by default (sAMAccountName, userPrincipalName, binary objectSid,
 * userAccountControl); every attribute name is configurable for other directories, e.g.
 * OpenLDAP with `uid` and a text SID attribute.
 */
import { AndFilter, Client, EqualityFilter, type Filter, FilterParser, OrFilter, type Entry } from 'ldapts';
import type { UserAttrs } from '../../schema/types.js';
import { NightjarError } from '../../core/errors.js';
import { type FilterSpec, isAttributeName, renderFilter, sidFromBytes, sidToBytes } from './ldap-filter.js';

/** Who to look up. Account names and UPNs lower case; SIDs upper case. */
export type UserIdentity =
  | { kind: 'account'; account: string }
  /** A UPN; `account` is its local part, tried as the account name when no UPN matches. */
  | { kind: 'upn'; upn: string; account: string }
  | { kind: 'sid'; sid: string };

export function identityKey(id: UserIdentity): string {
  return id.kind === 'account' ? `a:${id.account}` : id.kind === 'upn' ? `u:${id.upn}` : `s:${id.sid}`;
}

export interface UserDirectory {
  readonly name: string;
  /** identityKey → attributes, or null when the directory has no such user. Throws when the directory fails. */
  findUsers(ids: readonly UserIdentity[]): Promise<Map<string, UserAttrs | null>>;
  close(): Promise<void>;
}

export interface LdapAttributeNames {
  account: string;
  upn: string;
  sid: string;
  /** `binary`: AD's objectSid; `string`: the SID as text. */
  sid_format: 'binary' | 'string';
  display_name: string;
  title: string;
  department: string;
  groups: string;
  manager: string;
  enabled: string;
  /** `uac`: AD userAccountControl, disabled when bit 2 is set; `boolean`: TRUE/true/1 means enabled. */
  enabled_format: 'uac' | 'boolean';
}

export interface LdapDirectoryOptions {
  url: string;
  bindDn: string | null;
  bindPassword: string | null;
  baseDn: string;
  /** Which entries are users, e.g. `(objectCategory=person)` or `(objectClass=inetOrgPerson)`. */
  userFilter: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxPerSearch: number;
  attributes: LdapAttributeNames;
}

/** The first RDN's value of a DN: `CN=Domain Admins,CN=Users,DC=corp` → `Domain Admins`. */
export function firstRdnValue(dn: string): string {
  const m = /^[^=]+=((?:\\.|[^,\\])*)/.exec(dn);
  return m ? m[1]!.replace(/\\(.)/g, '$1').trim() : dn;
}

export class LdapDirectory implements UserDirectory {
  readonly name = 'ldap';
  private readonly client: Client;
  private readonly a: LdapAttributeNames;

  constructor(private readonly opts: LdapDirectoryOptions) {
    this.a = opts.attributes;
    for (const [field, name] of Object.entries(this.a)) {
      if (field.endsWith('_format')) continue;
      if (!isAttributeName(name)) throw new NightjarError('CONFIG_INVALID', `enrich.ldap.attributes.${field}: "${name}" is not an LDAP attribute name`);
    }
    try {
      FilterParser.parseString(opts.userFilter);
    } catch (err) {
      throw new NightjarError('CONFIG_INVALID', `enrich.ldap.user_filter: ${(err as Error).message}`, { cause: err });
    }
    this.client = new Client({ url: opts.url, timeout: opts.timeoutMs, connectTimeout: opts.connectTimeoutMs, autoRebind: true });
  }

  /** The search filter for a set of identities, as a tree (rendered for logs by renderFilter). */
  filterFor(ids: readonly UserIdentity[]): FilterSpec | null {
    const or: FilterSpec[] = [];
    for (const id of ids) {
      if (id.kind === 'sid') {
        const value = this.a.sid_format === 'binary' ? sidToBytes(id.sid) : id.sid;
        if (value) or.push({ eq: this.a.sid, value });
      } else {
        if (id.kind === 'upn') or.push({ eq: this.a.upn, value: id.upn });
        or.push({ eq: this.a.account, value: id.account });
      }
    }
    return or.length === 0 ? null : { and: [{ raw: this.opts.userFilter }, { or }] };
  }

  async findUsers(ids: readonly UserIdentity[]): Promise<Map<string, UserAttrs | null>> {
    const out = new Map<string, UserAttrs | null>();
    for (let i = 0; i < ids.length; i += this.opts.maxPerSearch) {
      const chunk = ids.slice(i, i + this.opts.maxPerSearch);
      const filter = this.filterFor(chunk);
      const entries = filter ? await this.search(filter) : [];
      for (const id of chunk) out.set(identityKey(id), this.match(id, entries));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.client.unbind().catch(() => undefined);
  }

  private async search(spec: FilterSpec): Promise<Entry[]> {
    const a = this.a;
    try {
      if (!this.client.isBound && this.opts.bindDn) await this.client.bind(this.opts.bindDn, this.opts.bindPassword ?? '');
      const { searchEntries } = await this.client.search(this.opts.baseDn, {
        scope: 'sub',
        filter: toClientFilter(spec),
        attributes: [a.account, a.upn, a.sid, a.display_name, a.title, a.department, a.groups, a.manager, a.enabled],
        explicitBufferAttributes: a.sid_format === 'binary' ? [a.sid] : [],
      });
      return searchEntries;
    } catch (err) {
      // drop the connection: the next batch reconnects and binds afresh
      await this.client.unbind().catch(() => undefined);
      const e = err as Error;
      throw new NightjarError('SERVICE_UNAVAILABLE', `LDAP bind or search ${renderFilter(spec).slice(0, 200)} on ${this.opts.url} failed: ${e.name}: ${e.message.trim()}`, { cause: err });
    }
  }

  private match(id: UserIdentity, entries: Entry[]): UserAttrs | null {
    const a = this.a;
    const lower = (v: string | null) => v?.toLowerCase() ?? null;
    let found: Entry | undefined;
    if (id.kind === 'sid') {
      found = entries.find((e) => {
        const raw = attr(e, a.sid)[0];
        const sid = raw === undefined ? null : typeof raw === 'string' ? raw : sidFromBytes(raw);
        return sid?.toUpperCase() === id.sid;
      });
    } else {
      if (id.kind === 'upn') found = entries.find((e) => lower(text(e, a.upn)) === id.upn);
      found ??= entries.find((e) => lower(text(e, a.account)) === id.account);
    }
    return found ? this.toAttrs(found) : null;
  }

  private toAttrs(e: Entry): UserAttrs {
    const a = this.a;
    const enabledRaw = text(e, a.enabled);
    let enabled: boolean | null = null;
    if (enabledRaw !== null) {
      if (a.enabled_format === 'uac') {
        const uac = Number(enabledRaw);
        enabled = Number.isInteger(uac) ? (uac & 2) === 0 : null;
      } else {
        enabled = /^(true|1|yes)$/i.test(enabledRaw.trim());
      }
    }
    const manager = text(e, a.manager);
    return {
      display_name: text(e, a.display_name),
      title: text(e, a.title),
      department: text(e, a.department),
      groups: attr(e, a.groups).map((g) => firstRdnValue(typeof g === 'string' ? g : g.toString('utf8'))).sort(),
      manager: manager === null ? null : firstRdnValue(manager),
      enabled,
      dn: e.dn,
    };
  }
}

/** All values of an attribute, matched case-insensitively (servers echo their own spelling). */
function attr(e: Entry, name: string): (string | Buffer)[] {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(e)) {
    if (k.toLowerCase() === want && k !== 'dn') return Array.isArray(v) ? v : [v];
  }
  return [];
}

function text(e: Entry, name: string): string | null {
  const v = attr(e, name)[0];
  if (v === undefined) return null;
  const s = typeof v === 'string' ? v : v.toString('utf8');
  return s === '' ? null : s;
}

/** The filter tree as ldapts filter objects, values as raw bytes (no text re-parsing). */
function toClientFilter(spec: FilterSpec): Filter {
  if ('raw' in spec) return FilterParser.parseString(spec.raw);
  if ('eq' in spec) return new EqualityFilter({ attribute: spec.eq, value: Buffer.from(typeof spec.value === 'string' ? Buffer.from(spec.value, 'utf8') : spec.value) });
  if ('and' in spec) return new AndFilter({ filters: spec.and.map(toClientFilter) });
  return new OrFilter({ filters: spec.or.map(toClientFilter) });
}
