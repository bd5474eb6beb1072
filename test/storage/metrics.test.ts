/**
 * Efficiency counters: the counting store (per op and object kind), the Prometheus registry, and
 * GET /metrics of a real `columba serve` child after an LMTP delivery, a login and a cold FETCH.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createCountingStore, objectKindOf, requestCountsOf } from '../../core/storage/counting-store.ts';
import { createServerMetrics } from '../../core/metrics/registry.ts';
import { parseListenAddress, startMetricsListener } from '../../core/metrics/http.ts';
import { indexPrefix, messageKey, newGuid } from '../../core/storage/keys.ts';
import { startTestServer } from '../helpers/server.ts';
import { LineClient } from '../net/line-client.ts';
import { LmtpClient } from '../e2e/lmtp-client.ts';

/** `name{labels} value` lines of a Prometheus text body, as a map. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

test('objectKindOf', () => {
  assert.is(objectKindOf(messageKey('u', newGuid())), 'message');
  assert.is(objectKindOf(indexPrefix('u', 'root') + 'bundle.1'), 'index');
  assert.is(objectKindOf('ab/u/meta/0001'), 'metadata');
  assert.is(objectKindOf('x'), 'other');
  assert.is(objectKindOf('ab/u/'), 'user');
});

test('the counting store counts every call by op and kind and is found by requestCountsOf', async () => {
  const store = createCountingStore(createMemoryStore());
  const k = messageKey('u', newGuid());
  await store.put(k, Buffer.from('x'));
  await store.get(k);
  await store.head(k);
  await store.head(k + 'nope');
  for await (const _ of store.list(indexPrefix('u', 'root'))) void _;
  await store.delete(k);
  const c = requestCountsOf(store)!;
  assert.ok(c === store.counts);
  assert.is(c.get('put', 'message'), 1);
  assert.is(c.get('head'), 2);
  assert.is(c.get('list', 'index'), 1);
  assert.is(c.get('delete'), 1);
  assert.is(c.get('get', 'index'), 0);
  assert.is(requestCountsOf(createMemoryStore()), null);
});

test('registry text: mirrored counters advance between scrapes', async () => {
  const store = createCountingStore(createMemoryStore());
  const m = createServerMetrics(store);
  const k = messageKey('u', newGuid());
  await store.put(k, Buffer.from('x'));
  await store.get(k);
  m.deliveries.inc();
  let s = samples(await m.text());
  assert.is(s.get('columba_object_requests_total{op="put",kind="message"}'), 1);
  assert.is(s.get('columba_cold_fetches_total'), 1);
  assert.is(s.get('columba_deliveries_total'), 1);
  assert.is(s.get('columba_logins_total'), 0);
  await store.get(k);
  s = samples(await m.text());
  assert.is(s.get('columba_object_requests_total{op="get",kind="message"}'), 2);
  assert.is(s.get('columba_cold_fetches_total'), 2);
});

test('parseListenAddress', () => {
  assert.equal(parseListenAddress('127.0.0.1:9090'), { host: '127.0.0.1', port: 9090 });
  assert.equal(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
  assert.equal(parseListenAddress(':9090'), { host: '0.0.0.0', port: 9090 });
  assert.equal(parseListenAddress('9090'), { host: '0.0.0.0', port: 9090 });
  assert.is(parseListenAddress('localhost'), null);
  assert.is(parseListenAddress('h:99999'), null);
});

test('the listener: /metrics 200 in Prometheus text, other paths 404', async () => {
  const m = createServerMetrics(null);
  const l = await startMetricsListener('127.0.0.1:0', m);
  try {
    const r = await fetch(`http://127.0.0.1:${l.port}/metrics`);
    assert.is(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', 'text/plain');
    assert.match(await r.text(), '# TYPE columba_deliveries_total counter');
    assert.is((await fetch(`http://127.0.0.1:${l.port}/`)).status, 404);
    assert.is((await fetch(`http://127.0.0.1:${l.port}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await l.close();
  }
});

test('columba serve: /metrics after a delivery, a login and a cold FETCH', async () => {
  const srv = await startTestServer({ storage: { driver: 'fs' }, metrics: { listen: '127.0.0.1:0' } } as never);
  try {
    const line = /^metrics listening on 127\.0\.0\.1:(\d+)$/m.exec(srv.stdout());
    assert.ok(line, srv.stdout());
    const url = `http://127.0.0.1:${line![1]}/metrics`;
    await srv.addUser('alice', 'secret');
    const before = samples(await (await fetch(url)).text());
    assert.is(before.get('columba_deliveries_total'), 0);

    const lmtp = await LmtpClient.connect(srv.ports.lmtp);
    const replies = await lmtp.deliver({ from: 'x@example.com', to: ['alice'], message: 'Subject: hi\r\n\r\nbody\r\n' });
    assert.match(replies[0]!, /^250 /);
    await lmtp.quit();

    const c = await LineClient.connect(srv.ports.imap);
    assert.match((await c.next())!, /^\* OK/);
    const run = async (cmd: string): Promise<string[]> => {
      c.send(cmd + '\r\n');
      const tag = cmd.split(' ')[0]!;
      const got: string[] = [];
      for (let l = await c.next(); l !== null; l = await c.next()) {
        got.push(l);
        if (l.startsWith(tag + ' ')) break;
      }
      return got;
    };
    assert.match((await run('a LOGIN alice secret')).at(-1)!, /^a OK/);
    assert.match((await run('b SELECT INBOX')).at(-1)!, /^b OK/);
    const fetched = await run('c FETCH 1 BODY.PEEK[]');
    assert.match(fetched.at(-1)!, /^c OK/);
    assert.ok(fetched.some((l) => l.includes('BODY[] {')));
    await run('d LOGOUT');
    c.end();

    const after = samples(await (await fetch(url)).text());
    assert.is(after.get('columba_deliveries_total'), 1);
    assert.is(after.get('columba_logins_total'), 1);
    assert.is(after.get('columba_object_requests_total{op="put",kind="message"}'), 1, 'one PUT per delivered message');
    assert.is(after.get('columba_cold_fetches_total'), 1);
    // Login lists the user's whole prefix once (heads and message objects in one LIST): kind "user".
    const lists = ['message', 'index', 'user', 'other'].reduce((n, k) => n + (after.get(`columba_object_requests_total{op="list",kind="${k}"}`) ?? 0), 0);
    assert.is(lists, 1, 'the user was loaded once, with one LIST');
  } finally {
    await srv.stop();
  }
});

test.run();
