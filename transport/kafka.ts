/**
 * The Kafka transport (the only file importing kafkajs): an idempotent producer that
 * waits out broker outages, a transactional producer that publishes a batch's outputs
 * and commits its input offsets atomically (consume-transform-produce, so a worker
 * killed mid-batch neither loses nor duplicates), a batch consumer in a consumer group
 * with manual commits, and topic creation.
 *
 * Every send uses acks=-1 (all in-sync replicas). Retry decisions live in
 * delivery-decisions.ts as pure functions.
 */
import kafkajs from 'kafkajs';
import type { Admin, Consumer as KjsConsumer, IHeaders, Kafka, LogEntry, Message, Producer as KjsProducer, Transaction } from 'kafkajs';
import { NightjarError } from '../core/errors.js';
import { logger } from '../core/log.js';
import type { ConsumedBatch, Producer, TransportRecord } from './port.js';
import { backoffMs, classifySendError } from './delivery-decisions.js';

const { Kafka: KafkaClient, CompressionTypes, logLevel } = kafkajs;
const log = logger('kafka');

export interface KafkaOptions {
  brokers: readonly string[];
  clientId: string;
  compression: 'gzip' | 'none';
}

/** kafkajs logs go through our structured logger; its INFO chatter is debug for us. */
function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...rest } = entry;
    const fields = { ...rest } as Record<string, unknown>;
    delete fields['timestamp'];
    delete fields['logger'];
    if (level === logLevel.ERROR) log.warn(`kafkajs: ${message}`, fields);
    else if (level === logLevel.WARN) log.debug(`kafkajs: ${message}`, fields);
  };
}

export function kafkaClient(opts: KafkaOptions): Kafka {
  // kafkajs's own retries cover short blips; longer outages are our retry loop's job.
  return new KafkaClient({
    clientId: opts.clientId,
    brokers: [...opts.brokers],
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
  });
}

const compressionOf = (c: KafkaOptions['compression']) => (c === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None);

/**
 * Splits records into sends of at most `maxBytes` of values (uncompressed), so that no
 * record batch the client builds per partition exceeds the broker's message.max.bytes
 * (1 MiB by default), whatever the compression ratio.
 */
export function chunkRecords(records: readonly TransportRecord[], maxBytes = 512 * 1024): TransportRecord[][] {
  const chunks: TransportRecord[][] = [];
  let current: TransportRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = r.value.length + (r.key?.length ?? 0) + 64;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function toMessages(records: readonly TransportRecord[]): Map<string, Message[]> {
  const byTopic = new Map<string, Message[]>();
  for (const r of records) {
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push({ key: r.key, value: r.value, headers: r.headers });
  }
  return byTopic;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retries `attempt` while the failure is retriable and `keepGoing()` says so; a broker
 * outage thus makes the caller wait instead of dropping records.
 */
async function untilDelivered(what: string, attempt: () => Promise<void>, keepGoing: () => boolean): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      if (n > 1) log.info(`${what} succeeded after ${n} attempts`);
      return;
    } catch (err) {
      if (classifySendError(err) === 'fatal' || !keepGoing()) {
        throw new NightjarError('TRANSPORT_FAILED', `${what} failed: ${(err as Error).message}`, { cause: err, retriable: false });
      }
      const wait = backoffMs(n);
      log.warn(`${what} failed; retrying`, { attempt: n, waitMs: wait, error: (err as Error).message });
      await sleep(wait);
    }
  }
}

/** Idempotent producer: batches per call, compresses, waits out outages. */
export class KafkaProducer implements Producer {
  private closed = false;

  private constructor(private readonly producer: KjsProducer, private readonly opts: KafkaOptions) {}

  static async create(opts: KafkaOptions): Promise<KafkaProducer> {
    const producer = kafkaClient(opts).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await untilDelivered('connecting the producer', () => producer.connect(), () => true);
    return new KafkaProducer(producer, opts);
  }

  async send(records: readonly TransportRecord[]): Promise<void> {
    for (const chunk of chunkRecords(records)) {
      const topicMessages = [...toMessages(chunk)].map(([topic, messages]) => ({ topic, messages }));
      await untilDelivered(
        `producing ${chunk.length} records`,
        async () => {
          await this.producer.sendBatch({ topicMessages, acks: -1, compression: compressionOf(this.opts.compression) });
        },
        () => !this.closed,
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.producer.disconnect();
  }
}

/** Where a consumed batch ends: commit `offset` (the next to read) for the group. */
export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Transactional producer for consume-transform-produce: the outputs of a batch and the
 * batch's input offsets are committed in one Kafka transaction, so readers with
 * isolation read_committed (the sink) see each output exactly once even when a worker
 * dies mid-batch. The transactional id must be stable per worker: a restarted worker
 * with the same id fences its predecessor and aborts its open transaction at once.
 */
export class KafkaTransactionalProducer {
  private closed = false;

  private constructor(private readonly producer: KjsProducer, private readonly opts: KafkaOptions) {}

  static async create(opts: KafkaOptions & { transactionalId: string; transactionTimeoutMs: number }): Promise<KafkaTransactionalProducer> {
    const producer = kafkaClient(opts).producer({
      transactionalId: opts.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: opts.transactionTimeoutMs,
      allowAutoTopicCreation: true,
    });
    await untilDelivered('connecting the transactional producer', () => producer.connect(), () => true);
    return new KafkaTransactionalProducer(producer, opts);
  }

  /** Produces the records and commits the offsets for `groupId`, atomically; retried until done. */
  async sendAndCommit(records: readonly TransportRecord[], groupId: string, offsets: readonly OffsetCommit[]): Promise<void> {
    const sends = chunkRecords(records).map((chunk) => [...toMessages(chunk)].map(([topic, messages]) => ({ topic, messages })));
    await untilDelivered(
      `transaction of ${records.length} records`,
      async () => {
        const tx: Transaction = await this.producer.transaction();
        try {
          for (const topicMessages of sends) await tx.sendBatch({ topicMessages, acks: -1, compression: compressionOf(this.opts.compression) });
          await tx.sendOffsets({
            consumerGroupId: groupId,
            topics: groupByTopic(offsets),
          });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch((abortErr: unknown) => log.debug('abort after a failed transaction failed', { error: (abortErr as Error).message }));
          throw err;
        }
      },
      () => !this.closed,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.producer.disconnect();
  }
}

function groupByTopic(offsets: readonly OffsetCommit[]): { topic: string; partitions: { partition: number; offset: string }[] }[] {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) {
    let list = byTopic.get(o.topic);
    if (!list) byTopic.set(o.topic, (list = []));
    list.push({ partition: o.partition, offset: o.offset });
  }
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}

/** A consumed batch with the controls a worker or sink needs beyond the port's `ack`. */
export interface KafkaBatch extends ConsumedBatch {
  /** Offset of the last record. */
  lastOffset: string;
  /** Lets the consumer fetch past this batch; the commit happens elsewhere (a transaction, or after an upload). */
  resolve(): void;
  /** Records behind the partition's high watermark after this batch: the consumer lag. */
  lag: number;
  heartbeat(): Promise<void>;
  /** True when a rebalance took this partition away while the batch was in flight. */
  isStale(): boolean;
}

export interface KafkaConsumerOptions extends KafkaOptions {
  groupId: string;
  topics: readonly string[];
  sessionTimeoutMs: number;
  /** Where a group without committed offsets starts; true reads the topics from the beginning. */
  fromBeginning?: boolean;
  maxBytesPerPartition?: number;
}

function headersOf(h: IHeaders | undefined): Record<string, string> | undefined {
  if (!h) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

/**
 * A consumer-group member with manual commits (autoCommit off). The handler is awaited
 * inside kafkajs's eachBatch, one batch at a time; it must call `resolve()` (or `ack()`,
 * which also commits) for the consumer to move past the batch.
 */
export class KafkaBatchConsumer {
  private assignment: Record<string, number[]> = {};
  private readonly assignmentListeners: ((a: Record<string, number[]>) => void)[] = [];

  private constructor(private readonly consumer: KjsConsumer, private readonly opts: KafkaConsumerOptions) {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.assignment = { ...e.payload.memberAssignment };
      log.info('joined the consumer group', { group: opts.groupId, assignment: this.assignment });
      for (const l of this.assignmentListeners) l(this.assignment);
    });
    consumer.on(consumer.events.CRASH, (e) => log.warn('consumer crashed; kafkajs restarts it', { error: e.payload.error.message, restart: e.payload.restart }));
  }

  static async create(opts: KafkaConsumerOptions): Promise<KafkaBatchConsumer> {
    const consumer = kafkaClient(opts).consumer({
      groupId: opts.groupId,
      sessionTimeout: opts.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(opts.sessionTimeoutMs / 5)),
      rebalanceTimeout: Math.max(opts.sessionTimeoutMs * 3, 30_000),
      maxBytesPerPartition: opts.maxBytesPerPartition ?? 1024 * 1024,
      // Read only committed transactions: a crashed stream worker's aborted outputs never reach the lake.
      readUncommitted: false,
      allowAutoTopicCreation: true,
    });
    await untilDelivered('connecting the consumer', () => consumer.connect(), () => true);
    await consumer.subscribe({ topics: [...opts.topics], fromBeginning: opts.fromBeginning ?? true });
    return new KafkaBatchConsumer(consumer, opts);
  }

  get groupId(): string {
    return this.opts.groupId;
  }

  /** The partitions this member holds since the last rebalance. */
  currentAssignment(): Record<string, number[]> {
    return this.assignment;
  }

  onAssignment(listener: (a: Record<string, number[]>) => void): void {
    this.assignmentListeners.push(listener);
  }

  /** Starts consuming; resolves once running. Batches of one partition arrive in order. */
  async run(handler: (batch: KafkaBatch) => Promise<void>): Promise<void> {
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isStale, isRunning }) => {
        if (!isRunning() || batch.messages.length === 0) return;
        const lastOffset = batch.messages[batch.messages.length - 1]!.offset;
        const records = batch.messages.map((m) => ({
          topic: batch.topic,
          key: m.key ? m.key.toString('utf8') : null,
          value: m.value ?? Buffer.alloc(0),
          headers: headersOf(m.headers),
          offset: m.offset,
        }));
        const resolve = () => resolveOffset(lastOffset);
        await handler({
          topic: batch.topic,
          partition: batch.partition,
          records,
          lastOffset,
          resolve,
          lag: Number(batch.offsetLag()),
          heartbeat,
          isStale,
          ack: async () => {
            resolve();
            await this.commit([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
          },
        });
      },
    });
  }

  /** Commits offsets (each the next offset to read); retried while the group is reachable. */
  async commit(offsets: readonly OffsetCommit[]): Promise<void> {
    if (offsets.length === 0) return;
    await untilDelivered(`committing ${offsets.length} offsets`, () => this.consumer.commitOffsets(offsets.map((o) => ({ ...o }))), () => true);
  }

  /** Stops fetching new batches without leaving the group (so a final commit still works). */
  pause(): void {
    this.consumer.pause(this.opts.topics.map((topic) => ({ topic })));
  }

  /** Waits for the batch in flight, leaves the group and disconnects. */
  async close(): Promise<void> {
    await this.consumer.stop();
    await this.consumer.disconnect();
  }
}

/** Creates the topics that do not exist yet (idempotent); `partitions` for new ones. */
export async function ensureTopics(opts: KafkaOptions, topics: readonly string[], partitions: number): Promise<void> {
  const admin: Admin = kafkaClient(opts).admin();
  await untilDelivered('connecting the admin client', () => admin.connect(), () => true);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
      log.info('created topics', { topics: missing, partitions });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Committed offsets of a group per partition (for tests, tooling and lag). */
export async function groupOffsets(opts: KafkaOptions, groupId: string, topics: readonly string[]): Promise<OffsetCommit[]> {
  const admin = kafkaClient(opts).admin();
  await admin.connect();
  try {
    const res = await admin.fetchOffsets({ groupId, topics: [...topics] });
    return res.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset })));
  } finally {
    await admin.disconnect();
  }
}
