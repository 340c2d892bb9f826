/** `nightjar ingest`: parse files, folders, stdin or syslog listeners and publish raw events to Kafka. */
import { type CommandSpec, type OptionSpec, parseCommand, UsageError, helpText, inputFormat, INPUT_HELP } from '../args.js';
import { loadConfig } from '../config/load.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { publishBatch, type PublishCounts } from '../../ingest/kafka-publish.js';
import { parseSyslogEndpoint, SyslogListener } from '../../ingest/syslog-listener.js';
import { ensureTopics, KafkaProducer } from '../../transport/kafka.js';
import { kafkaOptions, outputTopics, rawTopics, shutdownSignal } from '../kafka-options.js';
import { logger } from '../../core/log.js';

const log = logger('ingest');

export const ingestSpec = {
  name: 'ingest',
  summary: 'parse files, folders, stdin or syslog and publish raw events to Kafka (nightjar.raw.<source>)',
  usage: 'nightjar ingest --input PATH [--input PATH ...] [--format auto|...] | --syslog udp://HOST:PORT [--syslog tcp://HOST:PORT ...]',
  options: {
    input: { type: 'string', short: 'i', multiple: true },
    format: { type: 'string', short: 'f', default: 'auto' },
    syslog: { type: 'string', multiple: true },
  } as const,
  optionHelp: {
    ...INPUT_HELP,
    syslog: '--syslog URL         listen for RFC 3164/5424 syslog on udp://HOST:PORT or tcp://HOST:PORT (octet-counted or newline framing); repeatable; runs until SIGTERM',
  },
  examples: [
    'nightjar ingest --input ../shared/testdata/windows --config scaleout.yaml',
    'nightjar ingest --syslog udp://0.0.0.0:5514 --syslog tcp://0.0.0.0:5514',
  ],
} satisfies CommandSpec<OptionSpec>;

function report(counts: PublishCounts): void {
  const sources = Object.entries(counts.bySource).map(([s, n]) => `${s} ${n}`).join(', ');
  process.stdout.write(`published ${counts.events} raw events (${sources || 'none'}) and ${counts.deadLetters} dead letters\n`);
}

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(ingestSpec, argv);
  if (values.help) {
    process.stdout.write(helpText(ingestSpec));
    return 0;
  }
  const inputs = [...(values.input ?? []), ...positionals];
  const syslog = (values.syslog ?? []).map(parseSyslogEndpoint);
  if (inputs.length === 0 && syslog.length === 0) throw new UsageError('give --input PATH (or - for stdin) or --syslog URL\nRun "nightjar ingest --help" for usage.');
  const format = inputFormat(values.format);
  const config = loadConfig(values.config);
  const kafka = kafkaOptions(config, 'ingest');
  const topics = { rawPrefix: config.kafka.topics.raw_prefix, dlq: config.kafka.topics.dlq };
  await ensureTopics(kafka, [...rawTopics(config), ...Object.values(outputTopics(config))], config.kafka.partitions);
  const producer = await KafkaProducer.create(kafka);
  const counts: PublishCounts = { events: 0, deadLetters: 0, bySource: {} };
  try {
    if (inputs.length > 0) {
      for await (const batch of readInputs(inputs, { format, maxEventBytes: config.pipeline.max_event_bytes, batchSize: config.pipeline.batch_size })) {
        await publishBatch(producer, batch, topics, counts);
      }
    }
    if (syslog.length > 0) {
      const listener = await SyslogListener.start({
        endpoints: syslog,
        maxEventBytes: config.pipeline.max_event_bytes,
        batchSize: config.pipeline.batch_size,
        lingerMs: 200,
        onBatch: (batch) => publishBatch(producer, batch, topics, counts),
        onError: (err) => log.warn('syslog listener error', { error: err.message }),
      });
      log.info('listening for syslog', { endpoints: syslog.map((e, i) => `${e.protocol}://${e.host}:${listener.ports[i]}`) });
      const sig = await shutdownSignal();
      log.info('stopping', { signal: sig });
      await listener.close();
    }
  } finally {
    await producer.close();
  }
  report(counts);
  return 0;
}
