// Smoke test of the local Kafka (one KRaft node) through kafkajs: topics, keyed produce,
// and consumption through a consumer group with committed offsets.
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService, runId, services, tcpProbe } from './env.js';

const up = await requireService('kafka', () => tcpProbe(services.kafka.brokers[0]!));

describe.runIf(up)('kafka (KRaft, one node)', () => {
  const kafka = new Kafka({ clientId: 'nightjar-smoke', brokers: services.kafka.brokers, logLevel: logLevel.ERROR });
  let admin: Admin;
  const topics: string[] = [];

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it('auto-creates a topic on first produce with the configured partition count', async () => {
    const topic = runId('smoke-auto');
    topics.push(topic);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    await producer.connect();
    // The first send may race the topic's creation; kafkajs retries until the leader exists.
    await producer.send({ topic, acks: -1, messages: [{ key: 'host-1', value: 'x' }] });
    await producer.disconnect();
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(meta.topics[0]!.partitions).toHaveLength(services.kafka.partitions);
  });

  it('delivers every produced message once to a consumer group and commits its offsets', async () => {
    const topic = runId('smoke-events');
    const groupId = runId('smoke-group');
    topics.push(topic);
    await admin.createTopics({ topics: [{ topic, numPartitions: 4, replicationFactor: 1 }], waitForLeaders: true });

    const hosts = ['dc01', 'ws-0042', 'ws-0107', 'fileserver', 'jump-1'];
    const sent = Array.from({ length: 200 }, (_, i) => ({ key: hosts[i % hosts.length]!, value: `event-${i}` }));
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const received: { key: string; value: string; partition: number }[] = [];
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    // Done when the group has committed past every message: at-least-once delivery means
    // the commit, not the receipt, is what counts.
    const committedNow = new Map<number, number>();
    const allCommitted = new Promise<void>((resolve) => {
      consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
        for (const t of payload.topics) {
          if (t.topic !== topic) continue;
          for (const p of t.partitions) committedNow.set(p.partition, Number(p.offset));
        }
        const sum = [...committedNow.values()].reduce((a, b) => a + b, 0);
        if (sum === sent.length) resolve();
      });
    });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ message, partition }) => {
        received.push({ key: message.key!.toString(), value: message.value!.toString(), partition });
      },
    });
    await allCommitted;
    await consumer.disconnect();

    expect(received.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
    // Keyed messages: one host always lands on one partition, so its events stay ordered.
    for (const host of hosts) {
      const mine = received.filter((m) => m.key === host);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      const order = mine.map((m) => Number(m.value.slice('event-'.length)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    // A partition no host hashed to has no commit (offset -1).
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(total).toBe(sent.length);
    await admin.deleteGroups([groupId]);
  });
});
