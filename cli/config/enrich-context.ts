/**
 * Config sections of the context enrichments: `enrich.intel` (threat-intel feeds),
 * `enrich.vulns` (vulnerability scan reports) and `enrich.prevalence` (hash prevalence).
 * Closed objects with defaults, included by schema.ts; all off by default.
 */
import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, { message: 'expected a duration like 500ms, 30s, 10m, 24h or 7d' })
  .transform((s) => parseDuration(s)!);

const path = z.string().min(1, 'expected a file path');

const feed = z
  .object({
    path,
    format: z.enum(['auto', 'stix', 'misp', 'otx', 'csv']).default('auto'),
    /** The name matches report as their source; the file name when null. */
    source: z.string().min(1).nullable().default(null),
  })
  .strict();

export const intelSchema = z
  .object({
    enabled: z.boolean().default(false),
    feeds: z.array(feed).default([]),
    /** How often workers look for changed feeds or a newly imported version. */
    refresh: duration.default(60_000),
    /**
     * memory: every worker parses the feeds itself. state-store: the indicator set lives
     * in the state store (Redis in scale-out), shared by all workers; `nightjar intel
     * import` or any worker with changed feed files writes a new version.
     */
    backend: z.enum(['memory', 'state-store']).default('memory'),
    /** L1 entries in front of the state store (state-store backend only). */
    cache_size: z.number().int().min(0).default(200_000),
  })
  .strict();

export const vulnsSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Nessus (.nessus), OpenVAS XML or nmap XML reports; reloaded when they change. */
    scans: z.array(path).default([]),
  })
  .strict();

export const prevalenceSchema = z
  .object({
    enabled: z.boolean().default(false),
    window_days: z.number().int().min(1).max(90).default(7),
  })
  .strict();

export const CONTEXT_DEFAULTS = {
  intel: intelSchema.parse({}),
  vulns: vulnsSchema.parse({}),
  prevalence: prevalenceSchema.parse({}),
};
