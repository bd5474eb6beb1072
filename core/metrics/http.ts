/**
 * The optional metrics listener (config `metrics.listen`, e.g. "127.0.0.1:9090"): GET /metrics
 * answers the Prometheus text format; anything else is 404 (405 for other methods on /metrics).
 * Plain HTTP on purpose: bind it to loopback or a management network.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ServerMetrics } from './registry.ts';

export interface MetricsListener {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** "127.0.0.1:9090", "[::1]:9090", ":9090" (all interfaces), "9090". null when malformed. */
export function parseListenAddress(text: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text) ?? /^()()(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}

export async function startMetricsListener(listen: string, metrics: ServerMetrics, log?: Logger): Promise<MetricsListener> {
  const addr = parseListenAddress(listen);
  if (!addr) throw Object.assign(new Error(`metrics.listen: not host:port: ${listen}`), { code: 'METRICS_LISTEN' });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : body),
      (err: unknown) => {
        log?.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(addr.port, addr.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  log?.info({ host: addr.host, port: bound.port }, 'metrics listening');
  return {
    host: addr.host,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
