/**
 * Config sections of the look-up enrichments: `enrich.reverse_dns`, `enrich.passive_dns`
 * and `enrich.ldap`. Closed objects with defaults, like the rest of schema.ts, which
 * includes them. The LDAP bind password belongs in NIGHTJAR_LDAP_BIND_PASSWORD (load.ts
 * ENV_OVERRIDES), not in the file; logs never show it (core/log.ts redacts *password*).
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, { message: 'expected a duration like 500ms, 30s, 10m, 24h or 7d' })
  .transform((s) => parseDuration(s)!);

/** `ip`, `ip:port` or `[ipv6]:port`, as node:dns setServers takes them. */
const dnsServer = z
  .string()
  .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|\[[0-9a-fA-F:.]+\](?::\d{1,5})?|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$/, 'expected an address, address:port or [v6]:port');

const attributeName = z.string().regex(/^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/, 'expected an LDAP attribute name');

export const reverseDnsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Empty: the system's resolvers (/etc/resolv.conf). */
    servers: z.array(dnsServer).default([]),
    /** The most one batch waits for answers; also the resolver's per-query timeout. */
    timeout: duration.default(1_000),
    tries: z.number().int().min(1).max(10).default(1),
    concurrency: z.number().int().min(1).max(10_000).default(64),
    scope: z.enum(['all', 'private', 'public']).default('all'),
    ttl: duration.default(3_600_000),
    negative_ttl: duration.default(300_000),
    error_ttl: duration.default(30_000),
    cache_size: z.number().int().positive().default(100_000),
    max_names: z.number().int().min(1).max(100).default(5),
  })
  .strict();

export const passiveDnsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Pairs not seen again for this long are forgotten. */
    retention: duration.default(90 * 86_400_000),
    max_answers_per_event: z.number().int().min(1).max(1_000).default(64),
  })
  .strict();

export const ldapSchema = z
  .object({
    enabled: z.boolean().default(false),
    url: z.string().regex(/^ldaps?:\/\/[^\s/]+(?::\d{1,5})?\/?$/, 'expected ldap://host:port or ldaps://host:port').default('ldap://127.0.0.1:389'),
    bind_dn: z.string().min(1).nullable().default(null),
    /** Set through NIGHTJAR_LDAP_BIND_PASSWORD. */
    bind_password: z.string().nullable().default(null),
    base_dn: z.string().min(1).nullable().default(null),
    user_filter: z.string().regex(/^\(.*\)$/, 'expected an LDAP filter in parentheses').default('(objectCategory=person)'),
    /** NetBIOS and DNS names of the domains the directory serves; empty: any domain. */
    domains: z.array(z.string().min(1).transform((s) => s.toLowerCase())).default([]),
    timeout: duration.default(2_000),
    connect_timeout: duration.default(2_000),
    max_per_search: z.number().int().min(1).max(1_000).default(100),
    ttl: duration.default(3_600_000),
    negative_ttl: duration.default(600_000),
    error_backoff: duration.default(30_000),
    cache_size: z.number().int().positive().default(50_000),
    attributes: z
      .object({
        account: attributeName.default('sAMAccountName'),
        upn: attributeName.default('userPrincipalName'),
        sid: attributeName.default('objectSid'),
        sid_format: z.enum(['binary', 'string']).default('binary'),
        display_name: attributeName.default('displayName'),
        title: attributeName.default('title'),
        department: attributeName.default('department'),
        groups: attributeName.default('memberOf'),
        manager: attributeName.default('manager'),
        enabled: attributeName.default('userAccountControl'),
        enabled_format: z.enum(['uac', 'boolean']).default('uac'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.enabled && !v.base_dn) ctx.addIssue({ code: 'custom', path: ['base_dn'], message: 'required when enrich.ldap.enabled is true' });
    if (v.bind_dn && v.bind_password === null && v.enabled) {
      ctx.addIssue({ code: 'custom', path: ['bind_password'], message: 'set NIGHTJAR_LDAP_BIND_PASSWORD when bind_dn is given' });
    }
  });

export const LOOKUP_DEFAULTS = {
  reverse_dns: reverseDnsSchema.parse({}),
  passive_dns: passiveDnsSchema.parse({}),
  ldap: ldapSchema.parse({}),
};
