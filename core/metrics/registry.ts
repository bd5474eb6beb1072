/**
 * The server's metrics (prom-client, one Registry per server: no global state). Requests per
 * operation are derived by the reader, e.g.
 *   rate(columba_object_requests_total{op="put"}[5m]) / rate(columba_deliveries_total[5m])
 *
 * - columba_object_requests_total{op,kind}: calls reaching the object store driver (under the
 *   fscache), by op (put/get/head/delete/list) and object kind (message/index/metadata/user/other).
 * - columba_s3_http_requests_total{op}: HTTP requests of the s3 driver (retries and the HEAD
 *   before each PUT included); absent with other drivers.
 * - columba_deliveries_total: messages stored by LMTP or APPEND.
 * - columba_logins_total: successful password logins (IMAP, POP3).
 * - columba_cold_fetches_total: message bodies read from the object store (the user store's read
 *   cache missed), i.e. GETs of message objects.
 */
import { Counter, Registry } from 'prom-client';
import type { ObjectStore } from '../storage/object-store.ts';
import { REQUEST_OPS, requestCountsOf, type RequestCounts } from '../storage/counting-store.ts';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly deliveries: Counter;
  readonly logins: Counter;
  /** Prometheus text exposition. */
  text(): Promise<string>;
  readonly contentType: string;
}

/** A counter whose value lives elsewhere: at each scrape it is advanced to the source's value. */
function mirrored(registry: Registry, name: string, help: string, labelNames: string[], read: () => { labels: Record<string, string>; value: number }[]): Counter {
  const seen = new Map<string, number>();
  const counter: Counter = new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      for (const { labels, value } of read()) {
        const id = JSON.stringify(labels);
        const delta = value - (seen.get(id) ?? 0);
        if (delta > 0) counter.inc(labels, delta);
        seen.set(id, value);
      }
    },
  });
  return counter;
}

export function createServerMetrics(objects: ObjectStore | null): ServerMetrics {
  const registry = new Registry();
  const counts: RequestCounts | null = objects ? requestCountsOf(objects) : null;
  if (counts) {
    mirrored(registry, 'columba_object_requests_total', 'Object store calls reaching the driver, by operation and object kind', ['op', 'kind'], () =>
      counts.entries().map((e) => ({ labels: { op: e.op, kind: e.kind }, value: e.count })),
    );
    mirrored(registry, 'columba_cold_fetches_total', 'Message bodies read from the object store (read cache missed)', [], () => [
      { labels: {}, value: counts.get('get', 'message') },
    ]);
    if (counts.http) {
      const http = counts.http;
      mirrored(registry, 'columba_s3_http_requests_total', 'HTTP requests of the s3 driver, retries included', ['op'], () =>
        REQUEST_OPS.map((op) => ({ labels: { op }, value: http[op] ?? 0 })),
      );
    }
  }
  const deliveries = new Counter({ name: 'columba_deliveries_total', help: 'Messages stored by LMTP delivery or IMAP APPEND', registers: [registry] });
  const logins = new Counter({ name: 'columba_logins_total', help: 'Successful password logins', registers: [registry] });
  return {
    registry,
    deliveries,
    logins,
    contentType: registry.contentType,
    text: () => registry.metrics(),
  };
}
