/**
 * The transport port: moves batches of records between ingest, the stream workers and
 * the sink. Scale-out: Kafka (kafka.ts). Embedded, the batches pass in process as
 * async iterables (cli/embedded-run.ts: readInputs → Pipeline → LakeWriter), so no
 * transport object stands between the stages.
 *
 * Delivery is at-least-once: a consumer acknowledges a batch only after everything it
 * produced from it has been acknowledged downstream; unacknowledged batches are
 * delivered again after a restart.
 */
export interface TransportRecord {
  topic: string;
  /** Partitioning key; records with the same key stay in order. */
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface ConsumedBatch {
  topic: string;
  partition: number;
  records: (TransportRecord & { offset: string })[];
  /** Marks the batch done; its offsets may be committed. */
  ack(): Promise<void>;
}

export interface Producer {
  /** Resolves once every record is acknowledged by the transport. */
  send(records: readonly TransportRecord[]): Promise<void>;
  close(): Promise<void>;
}
