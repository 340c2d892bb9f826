/**
 * The configuration schema: closed (unknown keys are errors, so a typo never silently
 * falls back to a default), with defaults that run the embedded stack on one machine.
 * Validated once at start-up by load.ts, then frozen.
 */
import { z } from 'zod';
import { DEFAULT_WATCHLIST } from '../../stream/detect/watchlist.js';
import { parseDuration } from './duration.js';
import { LOOKUP_DEFAULTS, ldapSchema, passiveDnsSchema, reverseDnsSchema } from './enrich-lookups.js';
import { CONTEXT_DEFAULTS, intelSchema, prevalenceSchema, vulnsSchema } from './enrich-context.js';

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== null, { message: 'expected a duration like 500ms, 30s, 10m, 24h or 7d' })
  .transform((s) => parseDuration(s)!);

const path = z.string().min(1, 'expected a file path');
const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port');

const geoip = z
  .object({
    city_db: path.nullable().default(null),
    asn_db: path.nullable().default(null),
    cache_size: z.number().int().positive().default(100_000),
  })
  .strict();

const topicName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'expected a Kafka topic name ([A-Za-z0-9._-])');
const KAFKA_TOPIC_DEFAULTS = { raw_prefix: 'nightjar.raw.', events: 'nightjar.events', alerts: 'nightjar.alerts', dlq: 'nightjar.dlq' };
const kafkaTopics = z
  .object({
    /** Raw topics are `<raw_prefix><source>`, e.g. nightjar.raw.windows. */
    raw_prefix: topicName.default(KAFKA_TOPIC_DEFAULTS.raw_prefix),
    events: topicName.default(KAFKA_TOPIC_DEFAULTS.events),
    alerts: topicName.default(KAFKA_TOPIC_DEFAULTS.alerts),
    dlq: topicName.default(KAFKA_TOPIC_DEFAULTS.dlq),
  })
  .strict();
const KAFKA_GROUP_DEFAULTS = { stream: 'nightjar-stream', sink: 'nightjar-sink' };
const kafkaGroups = z
  .object({
    stream: topicName.default(KAFKA_GROUP_DEFAULTS.stream),
    sink: topicName.default(KAFKA_GROUP_DEFAULTS.sink),
  })
  .strict();

export const configSchema = z
  .object({
    data_dir: path.default('./data'),
    log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // Prometheus metrics of the workers (stream, sink) on http://HOST:PORT/metrics; null: off
    metrics: z
      .object({
        port: z.number().int().min(0).max(65_535).nullable().default(null),
        host: z.string().min(1).default('127.0.0.1'),
      })
      .strict()
      .default({ port: null, host: '127.0.0.1' }),
    pipeline: z
      .object({
        batch_size: z.number().int().min(1).max(100_000).default(2_000),
        max_event_bytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
      })
      .strict()
      .default({ batch_size: 2_000, max_event_bytes: 1024 * 1024 }),
    enrich: z
      .object({
        sites_csv: path.nullable().default(null),
        geoip: geoip.default({ city_db: null, asn_db: null, cache_size: 100_000 }),
        reload_check: duration.default(5_000),
        reverse_dns: reverseDnsSchema.prefault({}),
        passive_dns: passiveDnsSchema.prefault({}),
        ldap: ldapSchema.prefault({}),
        intel: intelSchema.prefault({}),
        vulns: vulnsSchema.prefault({}),
        prevalence: prevalenceSchema.prefault({}),
      })
      .strict()
      .default({ sites_csv: null, geoip: { city_db: null, asn_db: null, cache_size: 100_000 }, reload_check: 5_000, ...LOOKUP_DEFAULTS, ...CONTEXT_DEFAULTS }),
    detect: z
      .object({
        watchlist: z.array(z.string().regex(/^[\w.-]+$/, 'expected an executable file name such as certutil.exe')).default([...DEFAULT_WATCHLIST]),
        watchlist_routine_after: z.number().int().min(0).default(100),
        learning_window: duration.default(86_400_000),
        first_seen_kinds: z
          .array(z.enum(['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair']))
          .default(['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair']),
        password_spray: z
          .object({
            enabled: z.boolean().default(true),
            window: duration.default(600_000),
            min_distinct_users: z.number().int().min(2).default(10),
          })
          .strict()
          .default({ enabled: true, window: 600_000, min_distinct_users: 10 }),
      })
      .strict()
      .default({
        watchlist: [...DEFAULT_WATCHLIST],
        watchlist_routine_after: 100,
        learning_window: 86_400_000,
        first_seen_kinds: ['logon', 'process_image', 'process_hash', 'parent_child', 'host_pair'],
        password_spray: { enabled: true, window: 600_000, min_distinct_users: 10 },
      }),
    state: z
      .object({
        backend: z.enum(['memory', 'redis']).default('memory'),
        max_keys: z.number().int().positive().default(5_000_000),
        redis: z
          .object({
            url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL').default('redis://127.0.0.1:16379'),
            key_prefix: z.string().default('nj:'),
          })
          .strict()
          .default({ url: 'redis://127.0.0.1:16379', key_prefix: 'nj:' }),
      })
      .strict()
      .default({ backend: 'memory', max_keys: 5_000_000, redis: { url: 'redis://127.0.0.1:16379', key_prefix: 'nj:' } }),
    lake: z
      .object({
        backend: z.enum(['local', 's3']).default('local'),
        file_max_rows: z.number().int().min(1).default(250_000),
        // rows held in memory across all open files before the largest are written early
        max_buffered_rows: z.number().int().min(1).default(5_000),
        flush_interval: duration.default(60_000),
        s3: z
          .object({
            endpoint: z.string().url().default('http://127.0.0.1:18080'),
            region: z.string().default('us-east-1'),
            bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name').default('nightjar'),
            prefix: z.string().default('lake'),
            access_key: z.string().nullable().default(null),
            secret_key: z.string().nullable().default(null),
          })
          .strict()
          .default({ endpoint: 'http://127.0.0.1:18080', region: 'us-east-1', bucket: 'nightjar', prefix: 'lake', access_key: null, secret_key: null }),
      })
      .strict()
      .default({
        backend: 'local', file_max_rows: 250_000, max_buffered_rows: 5_000, flush_interval: 60_000,
        s3: { endpoint: 'http://127.0.0.1:18080', region: 'us-east-1', bucket: 'nightjar', prefix: 'lake', access_key: null, secret_key: null },
      }),
    sql: z
      .object({
        engine: z.enum(['duckdb', 'trino']).default('duckdb'),
        trino: z
          .object({
            server: z.string().url().default('http://127.0.0.1:18081'),
            catalog: z.string().regex(/^\w+$/).default('hive'),
            schema: z.string().regex(/^\w+$/).default('nightjar'),
            user: z.string().default('nightjar'),
            password: z.string().nullable().default(null),
          })
          .strict()
          .default({ server: 'http://127.0.0.1:18081', catalog: 'hive', schema: 'nightjar', user: 'nightjar', password: null }),
      })
      .strict()
      .default({ engine: 'duckdb', trino: { server: 'http://127.0.0.1:18081', catalog: 'hive', schema: 'nightjar', user: 'nightjar', password: null } }),
    baselines: z
      .object({
        // The look-back window of the dbt models, in whole days ending at as_of (exclusive).
        days: z.number().int().min(1).max(3_650).default(30),
        as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').nullable().default(null),
        // Which engine builds them; null: the one sql.engine names.
        engine: z.enum(['duckdb', 'trino']).nullable().default(null),
        // The dbt executable; null: $NIGHTJAR_DBT or the one scripts/setup-dbt.sh installs.
        dbt: path.nullable().default(null),
        // Trino: the schema the baseline tables are written to.
        trino_schema: z.string().regex(/^\w+$/).default('nightjar_baselines'),
        // Each loaded version expires after this; rebuild more often.
        version_ttl: duration.default(7 * 86_400_000),
        // How long a replaced version stays readable for workers still on it.
        grace: duration.default(600_000),
        rarity: z
          .object({
            enabled: z.boolean().default(true),
            kinds: z
              .array(z.enum(['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain']))
              .default(['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain']),
            rare_max_hosts: z.number().int().min(0).default(2),
            rare_max_events: z.number().int().min(0).default(2),
            min_total_hosts: z.number().int().min(0).default(5),
            max_flags_per_key: z.number().int().min(1).default(3),
            pointer_refresh: duration.default(10_000),
          })
          .strict()
          .default({
            enabled: true,
            kinds: ['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain'],
            rare_max_hosts: 2, rare_max_events: 2, min_total_hosts: 5, max_flags_per_key: 3, pointer_refresh: 10_000,
          }),
      })
      .strict()
      .default({
        days: 30, as_of: null, engine: null, dbt: null, trino_schema: 'nightjar_baselines', version_ttl: 7 * 86_400_000, grace: 600_000,
        rarity: {
          enabled: true,
          kinds: ['process_image', 'process_hash', 'parent_child', 'logon', 'host_pair', 'domain', 'registered_domain'],
          rare_max_hosts: 2, rare_max_events: 2, min_total_hosts: 5, max_flags_per_key: 3, pointer_refresh: 10_000,
        },
      }),
    kafka: z
      .object({
        brokers: z.array(hostPort).min(1).default(['127.0.0.1:19092']),
        client_id: z.string().default('nightjar'),
        /** GZIP is built into kafkajs; LZ4/ZSTD would need native codecs. */
        compression: z.enum(['gzip', 'none']).default('gzip'),
        /** Partitions of the topics Nightjar creates; stream workers scale up to this many. */
        partitions: z.number().int().min(1).max(10_000).default(4),
        topics: kafkaTopics.default(KAFKA_TOPIC_DEFAULTS),
        groups: kafkaGroups.default(KAFKA_GROUP_DEFAULTS),
        /** Consumer session timeout: how soon a dead worker's partitions move to the others. */
        session_timeout: duration.default(10_000),
        /** Open transactions of a crashed stream worker are aborted after this long (or when it restarts). */
        transaction_timeout: duration.default(30_000),
      })
      .strict()
      .default({
        brokers: ['127.0.0.1:19092'], client_id: 'nightjar', compression: 'gzip', partitions: 4,
        topics: KAFKA_TOPIC_DEFAULTS, groups: KAFKA_GROUP_DEFAULTS, session_timeout: 10_000, transaction_timeout: 30_000,
      }),
  })
  .strict();

export type NightjarConfig = z.output<typeof configSchema>;
