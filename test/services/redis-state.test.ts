// The state conformance suite against the real Redis, under a key prefix unique to this run.
import { describe } from 'vitest';
import { RedisStateStore } from '../../stream/state/redis.js';
import { stateConformance } from '../conformance/state.js';
import { requireService, runId, services, tcpProbe } from './env.js';

const up = await requireService('redis', () => tcpProbe(services.redis.url));

describe.runIf(up)('Redis state store', () => {
  stateConformance('redis', () => RedisStateStore.create(services.redis.url, `${runId('state')}:`));
});
