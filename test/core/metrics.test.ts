import { describe, expect, it } from 'vitest';
import { Metrics } from '../../core/metrics.js';
import { serveMetrics } from '../../core/metrics-server.js';

describe('metrics', () => {
  it('renders counters, summaries and gauges in the Prometheus text format', () => {
    const m = new Metrics();
    m.describe('nightjar_stage_events_in_total', 'events entering a stage');
    m.inc('nightjar_stage_events_in_total', { stage: 'count' }, 3);
    m.inc('nightjar_stage_events_in_total', { stage: 'count' });
    m.observe('nightjar_stage_latency', { stage: 'count' }, 0.5);
    m.set('nightjar_consumer_lag', { topic: 'raw', partition: '0' }, 7);
    const text = m.render();
    expect(text).toContain('# HELP nightjar_stage_events_in_total events entering a stage\n# TYPE nightjar_stage_events_in_total counter\nnightjar_stage_events_in_total{stage="count"} 4\n');
    expect(text).toContain('nightjar_stage_latency_seconds_sum{stage="count"} 0.5\n');
    expect(text).toContain('nightjar_stage_latency_seconds_count{stage="count"} 1\n');
    expect(text).toContain('# TYPE nightjar_consumer_lag gauge\nnightjar_consumer_lag{partition="0",topic="raw"} 7\n');
  });

  it('serves them on /metrics over HTTP, and 404 elsewhere', async () => {
    const m = new Metrics();
    m.inc('nightjar_test_total', {}, 2);
    const server = await serveMetrics(0, '127.0.0.1', m);
    try {
      const ok = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await ok.text()).toContain('nightjar_test_total 2\n');
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
