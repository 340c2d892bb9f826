/** Kafka settings from the config, in the shapes the transport and the workers take. */
import type { NightjarConfig } from './config/schema.js';
import type { KafkaOptions } from '../transport/kafka.js';
import { RAW_SOURCES } from '../transport/raw-envelope.js';

export function kafkaOptions(config: NightjarConfig, role: string): KafkaOptions {
  return { brokers: config.kafka.brokers, clientId: `${config.kafka.client_id}-${role}`, compression: config.kafka.compression };
}

export function rawTopics(config: NightjarConfig): string[] {
  return RAW_SOURCES.map((s) => config.kafka.topics.raw_prefix + s);
}

export function outputTopics(config: NightjarConfig): { events: string; alerts: string; dlq: string } {
  const t = config.kafka.topics;
  return { events: t.events, alerts: t.alerts, dlq: t.dlq };
}

/** Resolves on the first SIGTERM or SIGINT; a second signal exits at once. */
export function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.once(sig as NodeJS.Signals, () => {
        resolve(sig);
        process.once(sig as NodeJS.Signals, () => process.exit(130));
      });
    };
    on('SIGTERM');
    on('SIGINT');
  });
}
