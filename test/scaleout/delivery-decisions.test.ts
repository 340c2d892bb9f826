import { describe, expect, it } from 'vitest';
import { backoffMs, classifySendError, commitAfter, flushDue, uncommittedUploads } from '../../transport/delivery-decisions.js';

describe('delivery decisions', () => {
  it('retries outages and coordinator moves, gives up on records the broker will never take', () => {
    expect(classifySendError(Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true }))).toBe('retry');
    expect(classifySendError(Object.assign(new Error('not coordinator'), { type: 'NOT_COORDINATOR', retriable: true }))).toBe('retry');
    expect(classifySendError(Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' }))).toBe('fatal');
    // kafkajs hides the broker error inside "retries exhausted"
    const wrapped = Object.assign(new Error('retries exhausted'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: Object.assign(new Error('x'), { type: 'TOPIC_AUTHORIZATION_FAILED' }) });
    expect(classifySendError(wrapped)).toBe('fatal');
    expect(classifySendError(Object.assign(new Error('fenced'), { type: 'INVALID_PRODUCER_EPOCH' }))).toBe('fatal');
  });

  it('backs off exponentially with a cap and jitter', () => {
    expect(backoffMs(1, 200, 10_000, () => 1)).toBe(200);
    expect(backoffMs(3, 200, 10_000, () => 1)).toBe(800);
    expect(backoffMs(3, 200, 10_000, () => 0)).toBe(400);
    expect(backoffMs(30, 200, 10_000, () => 1)).toBe(10_000);
  });

  it('commits the offset after the last record, never moving the committed offset back', () => {
    expect(commitAfter({ topic: 't', partition: 0, committed: null }, '41')).toBe('42');
    expect(commitAfter({ topic: 't', partition: 0, committed: '10' }, '41')).toBe('42');
    expect(commitAfter({ topic: 't', partition: 0, committed: '42' }, '41')).toBeNull();
    expect(commitAfter({ topic: 't', partition: 0, committed: '50' }, '41')).toBeNull();
    expect(commitAfter({ topic: 't', partition: 0, committed: '9007199254740993' }, '9007199254740993')).toBe('9007199254740994');
  });

  it('flushes a buffer at the row limit, at the age limit, or when stopping, never an empty one', () => {
    const limits = { maxRows: 100, maxAgeMs: 1_000 };
    expect(flushDue({ rows: 0, oldestAtMs: null }, 5_000, limits, true)).toBe(false);
    expect(flushDue({ rows: 99, oldestAtMs: 4_500 }, 5_000, limits)).toBe(false);
    expect(flushDue({ rows: 100, oldestAtMs: 4_500 }, 5_000, limits)).toBe(true);
    expect(flushDue({ rows: 1, oldestAtMs: 4_000 }, 5_000, limits)).toBe(true);
    expect(flushDue({ rows: 1, oldestAtMs: 4_999 }, 5_000, limits, true)).toBe(true);
  });

  it('undoes uploads from the replay offset on and forgets older (committed) ones', () => {
    const uploads = [{ first: 0n, last: 99n }, { first: 100n, last: 180n }, { first: 181n, last: 250n }];
    const { remove, forget } = uncommittedUploads(uploads, 100n);
    expect(remove.map((u) => u.first)).toEqual([100n, 181n]);
    expect(forget.map((u) => u.first)).toEqual([0n]);
  });
});
