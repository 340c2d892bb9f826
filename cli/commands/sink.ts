/**
 * `nightjar sink`: the lake sink in its Kafka consumer group over the events, alerts and
 * dead-letter topics. Batches become Parquet under Hive partitions in the object store
 * (S3 when lake.backend is s3); offsets are committed after the upload; with
 * sql.engine trino it creates the Hive tables and registers new partitions.
 * SIGTERM: stop fetching, flush and commit what is buffered, exit 0.
 */
import { defineCommand, parseCommand, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { openObjectStore } from '../wire-store.js';
import type { NightjarConfig } from '../config/schema.js';
import { lakeDir } from '../embedded-run.js';
import { LakeSink, type SinkCatalog } from '../../warehouse/sink.js';
import type { ObjectStore } from '../../warehouse/objectstore/port.js';
import { ensureTrinoTables, syncTrinoPartitions } from '../../warehouse/sink/trino-tables.js';
import { ensureTopics, KafkaBatchConsumer } from '../../transport/kafka.js';
import { kafkaOptions, outputTopics, shutdownSignal } from '../kafka-options.js';
import { logger } from '../../core/log.js';
import { serveMetrics } from '../../core/metrics-server.js';
import { metrics } from '../../core/metrics.js';
import { withRetry } from '../../core/errors.js';

const log = logger('sink');

export const sinkSpec = defineCommand({
  name: 'sink',
  summary: 'land events, alerts and dead letters from Kafka as Parquet in the lake (S3) and register them in Trino',
  usage: 'nightjar sink [--config PATH]',
  options: {} as const,
  optionHelp: {},
  examples: ['nightjar sink --config scaleout.yaml'],
});

export async function sinkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(sinkSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(sinkSpec));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\nRun "nightjar sink --help" for usage.`);
  const config = loadConfig(values.config);
  const kafka = kafkaOptions(config, 'sink');
  const topics = outputTopics(config);
  await ensureTopics(kafka, Object.values(topics), config.kafka.partitions);
  const { store, root } = await openObjectStore(config);
  const { DuckDbParquetEncoder } = await import('../../warehouse/sql/duckdb.js');
  const encoder = await DuckDbParquetEncoder.create({ threads: 1 });

  let catalog: SinkCatalog | undefined;
  let closeCatalog = async () => {};
  if (config.sql.engine === 'trino') {
    if (!root) throw new UsageError('sql.engine trino needs lake.backend s3: Trino reads the lake from S3');
    const { TrinoEngine } = await import('../../warehouse/sql/trino.js');
    const trino = await TrinoEngine.create(config.sql.trino);
    const loc = { catalog: config.sql.trino.catalog, schema: config.sql.trino.schema, root };
    // Trino may still be starting: wait for it rather than give up.
    await withRetry(() => ensureTrinoTables(trino, loc), {
      attempts: 30, baseMs: 500, maxMs: 5_000,
      onRetry: (err, n) => log.warn('Trino not ready; retrying', { attempt: n, error: err.message }),
    });
    catalog = { addPartitions: (table) => syncTrinoPartitions(trino, loc, table) };
    closeCatalog = () => trino.close();
  }

  const consumer = await KafkaBatchConsumer.create({ ...kafka, groupId: config.kafka.groups.sink, topics: Object.values(topics), sessionTimeoutMs: config.kafka.session_timeout, fromBeginning: true });
  const sink = new LakeSink({
    store, encoder, topics, catalog,
    maxRows: config.lake.file_max_rows,
    maxAgeMs: config.lake.flush_interval,
    commit: (offsets) => consumer.commit(offsets),
  });
  consumer.onAssignment(() => void sink.assigned());
  let stopping = false;
  const metricsServer = config.metrics.port === null ? null : await serveMetrics(config.metrics.port, config.metrics.host);
  const signal = shutdownSignal();
  await consumer.run(async (batch) => {
    if (stopping || batch.isStale()) return;
    // the autoscaling signal: how far this member is behind on the partition
    metrics.set('nightjar_consumer_lag', { group: config.kafka.groups.sink, topic: batch.topic, partition: String(batch.partition) }, batch.lag);
    const beat = setInterval(() => void batch.heartbeat().catch(() => undefined), Math.max(500, config.kafka.session_timeout / 5));
    try {
      await sink.handle(batch);
    } finally {
      clearInterval(beat);
    }
    batch.resolve();
  });
  const timer = setInterval(() => {
    sink.tick().catch((err: unknown) => log.warn('timed flush failed; retrying', { error: (err as Error).message }));
  }, Math.max(200, Math.min(1_000, config.lake.flush_interval / 4)));
  log.info('sink running', { group: config.kafka.groups.sink, topics: Object.values(topics), lake: root ?? lakeDir(config) });
  const sig = await signal;
  log.info('draining', { signal: sig });
  stopping = true;
  clearInterval(timer);
  try {
    consumer.pause();
    await sink.drain();
    await consumer.close();
  } finally {
    await sink.close();
    await encoder.close();
    await store.close();
    await closeCatalog();
    await metricsServer?.close();
  }
  const c = sink.counts;
  process.stdout.write(`sink: landed ${c.events} events, ${c.alerts} alerts, ${c.dead_letters} dead letters in ${c.files} files\n`);
  return 0;
}
