/**
 * Serves the process's metrics on GET /metrics in the Prometheus text format, for the
 * long-running workers (`nightjar stream`, `nightjar sink`), so an autoscaler or
 * Prometheus can read stage counts, latencies and cache hit ratios.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics as registry, type Metrics } from './metrics.js';

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveMetrics(port: number, host = '127.0.0.1', source: Metrics = registry): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(source.render());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: metrics are at /metrics\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
