/**
 * `nightjar stream`: one stream worker in the Kafka consumer group over the raw topics.
 * It runs the same pipeline as the embedded run (state in Redis when configured) and
 * publishes events, alerts and dead letters together with its input offsets in one
 * Kafka transaction per batch. SIGTERM: finish the batch in flight, commit, exit 0.
 */
import { hostname } from 'node:os';
import { type CommandSpec, type OptionSpec, parseCommand, UsageError, helpText } from '../args.js';
import { loadConfig } from '../config/load.js';
import { createPipeline, createStateStore } from '../wire.js';
import { StreamWorker } from '../../stream/worker.js';
import { ensureTopics, KafkaBatchConsumer, KafkaTransactionalProducer } from '../../transport/kafka.js';
import { kafkaOptions, outputTopics, rawTopics, shutdownSignal } from '../kafka-options.js';
import { logger } from '../../core/log.js';
import { serveMetrics } from '../../core/metrics-server.js';
import { metrics } from '../../core/metrics.js';

const log = logger('stream');

export const streamSpec = {
  name: 'stream',
  summary: 'run a stream worker: consume raw topics, run the stages, produce events, alerts and dead letters',
  usage: 'nightjar stream [--worker-id ID] [--config PATH]',
  options: {
    'worker-id': { type: 'string', short: 'w' },
  } as const,
  optionHelp: {
    'worker-id': '--worker-id, -w ID   stable name of this worker (its Kafka transactional id); a restarted worker with the same id aborts its predecessor\'s open transaction at once (default: host name)',
  },
  examples: ['nightjar stream --config scaleout.yaml --worker-id worker-1'],
} satisfies CommandSpec<OptionSpec>;

export async function streamCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(streamSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(streamSpec));
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}\nRun "nightjar stream --help" for usage.`);
  const workerId = (values['worker-id'] as string | undefined) ?? hostname();
  if (!/^[\w.-]{1,100}$/.test(workerId)) throw new UsageError('--worker-id must be letters, digits, ".", "_" or "-"');
  const config = loadConfig(values.config);
  const kafka = kafkaOptions(config, `stream-${workerId}`);
  const groupId = config.kafka.groups.stream;
  const outputs = outputTopics(config);
  await ensureTopics(kafka, [...rawTopics(config), ...Object.values(outputs)], config.kafka.partitions);

  const state = await createStateStore(config);
  const pipeline = createPipeline(config, state);
  const producer = await KafkaTransactionalProducer.create({ ...kafka, transactionalId: `${groupId}-${workerId}`, transactionTimeoutMs: config.kafka.transaction_timeout });
  const consumer = await KafkaBatchConsumer.create({ ...kafka, groupId, topics: rawTopics(config), sessionTimeoutMs: config.kafka.session_timeout, fromBeginning: true });
  const worker = new StreamWorker(
    pipeline,
    { publish: (records, commit) => producer.sendAndCommit(records, groupId, [commit]) },
    { ...outputs, rawPrefix: config.kafka.topics.raw_prefix },
  );
  const totals = { batches: 0, records: 0, events: 0, alerts: 0, deadLetters: 0 };
  const metricsServer = config.metrics.port === null ? null : await serveMetrics(config.metrics.port, config.metrics.host);
  const signal = shutdownSignal();
  await consumer.run(async (batch) => {
    // A rebalance moved the partition away mid-batch: its new owner reprocesses it.
    if (batch.isStale()) return;
    // the autoscaling signal: how far this member is behind on the partition
    metrics.set('nightjar_consumer_lag', { group: groupId, topic: batch.topic, partition: String(batch.partition) }, batch.lag);
    // Keep the group membership alive while the stages and the transaction run.
    const beat = setInterval(() => void batch.heartbeat().catch(() => undefined), Math.max(500, config.kafka.session_timeout / 5));
    let outcome;
    try {
      outcome = await worker.handle(batch);
    } finally {
      clearInterval(beat);
    }
    batch.resolve();
    totals.batches++;
    totals.records += outcome.records;
    totals.events += outcome.events;
    totals.alerts += outcome.alerts;
    totals.deadLetters += outcome.deadLetters;
  });
  log.info('stream worker running', { workerId, group: groupId, topics: rawTopics(config), state: state.name });
  const sig = await signal;
  log.info('draining', { signal: sig });
  try {
    await consumer.close();
  } finally {
    await producer.close();
    await pipeline.close();
    await state.close();
    await metricsServer?.close();
  }
  process.stdout.write(`stream worker ${workerId}: ${totals.records} records in ${totals.batches} batches → ${totals.events} events (${totals.alerts} alerts), ${totals.deadLetters} dead letters\n`);
  return 0;
}
