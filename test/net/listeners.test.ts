import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { buildConfig } from '../../core/config/load.ts';
import { loadTlsMaterial, generatedTlsPaths } from '../../core/tls.ts';
import { startListeners, type Listeners } from '../../protocols/net/listeners.ts';
import { createConnectionRegistry } from '../../protocols/net/connection-registry.ts';
import { isLoopback } from '../../protocols/net/transport.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { ServerContext } from '../../protocols/net/types.ts';
import { echoFactory } from './echo-session.ts';
import { LineClient } from './line-client.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-net-'));
const config = buildConfig({
  home,
  listen: { imap: 0, imaps: 0, pop3: null, pop3s: null, lmtp: null },
  limits: { connectionsPerIp: 3, preAuthIdleSeconds: 600 },
});
const material = loadTlsMaterial(config, 'test-host');
const ctx = {
  config,
  log: silentLogger(),
  auth: {} as ServerContext['auth'],
  store: {} as ServerContext['store'],
  connections: createConnectionRegistry(config.limits.connectionsPerUser),
  hostname: 'test-host',
} satisfies ServerContext;
let listeners: Listeners;

test.before(async () => {
  listeners = await startListeners(ctx, { imap: echoFactory }, { secureContext: material.secureContext });
});

test('generated certificate: CN, SAN, 2048-bit RSA, reused on the next start', () => {
  assert.is(material.source, 'generated');
  const x = new X509Certificate(material.certPem);
  assert.is(x.subject, 'CN=test-host');
  assert.match(x.subjectAltName ?? '', /DNS:localhost/);
  assert.match(x.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  assert.is(x.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  const again = loadTlsMaterial(config, 'other-name');
  assert.is(again.source, 'reused');
  assert.is(again.certPem, material.certPem);
  assert.is(generatedTlsPaths(home).certPath, join(home, 'tls', 'cert.pem'));
});

test('port 0 binds free ports; disabled listeners report null', () => {
  assert.ok(listeners.ports.imap! > 0);
  assert.ok(listeners.ports.imaps! > 0);
  assert.is.not(listeners.ports.imap, listeners.ports.imaps);
  assert.is(listeners.ports.pop3, null);
  assert.is(listeners.ports.lmtp, null);
});

test('plain connection: greeting, echo, quit', async () => {
  const c = await LineClient.connect(listeners.ports.imap!);
  assert.is(await c.next(), 'HELLO secure=false loopback=true tls=true');
  c.send('one\r\ntwo\r\n');
  assert.is(await c.next(), 'ECHO one secure=false');
  assert.is(await c.next(), 'ECHO two secure=false');
  c.send('QUIT\r\n');
  assert.is(await c.next(), 'BYE');
  assert.is(await c.next(), null);
});

test('implicit TLS on imaps with the generated certificate', async () => {
  const c = await LineClient.connectTls(listeners.ports.imaps!, material.certPem);
  assert.is(await c.next(), 'HELLO secure=true loopback=true tls=true');
  c.send('hi\r\n');
  assert.is(await c.next(), 'ECHO hi secure=true');
  c.end();
});

test('STARTTLS upgrade; plaintext sent after the command is discarded', async () => {
  const c = await LineClient.connect(listeners.ports.imap!);
  assert.is(await c.next(), 'HELLO secure=false loopback=true tls=true');
  c.send('STARTTLS\r\nINJECTED\r\n');
  assert.is(await c.next(), 'OK begin TLS');
  await c.upgrade(material.certPem);
  c.send('after\r\n');
  assert.is(await c.next(), 'ECHO after secure=true');
  c.end();
});

test('STARTTLS: injected bytes in a separate segment are dropped too', async () => {
  const c = await LineClient.connect(listeners.ports.imap!);
  await c.next();
  c.send('STARTTLS-SLOW\r\n');
  assert.is(await c.next(), 'PAUSED');
  // Arrives while the session is paused before its go-ahead: it sits in the socket buffer.
  c.send('INJECTED2\r\n');
  assert.is(await c.next(), 'OK begin TLS');
  await c.upgrade(material.certPem);
  c.send('after\r\n');
  assert.is(await c.next(), 'ECHO after secure=true');
  c.end();
});

test('write back-pressure: the write resolves only once the client reads', async () => {
  const c = await LineClient.connect(listeners.ports.imap!);
  await c.next();
  c.socket.pause();
  c.send('BIG 33554432\r\n');
  await new Promise((r) => setTimeout(r, 200));
  // The client has not read: the server cannot have finished the 32 MB write.
  assert.ok(c.socket.readableLength < 33554432);
  c.socket.resume();
  let line: string | null;
  do line = await c.next();
  while (line !== null && !line.endsWith('BIG DONE'));
  assert.ok(line?.endsWith('BIG DONE'));
  c.send('x\r\n');
  assert.is(await c.next(), 'ECHO x secure=false');
  c.end();
});

test('per-IP connection limit drops the connection without a word', async () => {
  const open: LineClient[] = [];
  for (let i = 0; i < 3; i++) {
    const c = await LineClient.connect(listeners.ports.imap!);
    assert.ok((await c.next())?.startsWith('HELLO'));
    open.push(c);
  }
  const refused = await LineClient.connect(listeners.ports.imap!);
  assert.is(await refused.next(), null);
  open[0]!.send('QUIT\r\n');
  await open[0]!.next();
  await open[0]!.closedPromise;
  await new Promise((r) => setTimeout(r, 20));
  const again = await LineClient.connect(listeners.ports.imap!);
  assert.ok((await again.next())?.startsWith('HELLO'));
  for (const c of [...open, again]) c.end();
  await Promise.all([...open, again].map((c) => c.closedPromise));
});

test('loopback detection', () => {
  assert.ok(isLoopback('127.0.0.1'));
  assert.ok(isLoopback('::ffff:127.0.0.5'));
  assert.ok(isLoopback('::1'));
  assert.not.ok(isLoopback('10.0.0.1'));
  assert.not.ok(isLoopback('::ffff:10.0.0.1'));
});

test('idle timer fires the session idle handler', async () => {
  const cfg = buildConfig({ home, listen: { imap: 0, imaps: null, pop3: null, pop3s: null, lmtp: null }, limits: { preAuthIdleSeconds: 0.1 } });
  const l = await startListeners({ ...ctx, config: cfg }, { imap: echoFactory }, { secureContext: null });
  const c = await LineClient.connect(l.ports.imap!);
  assert.is(await c.next(), 'HELLO secure=false loopback=true tls=false');
  assert.is(await c.next(), 'IDLE TIMEOUT');
  assert.is(await c.next(), null);
  await l.shutdown();
});

test('shutdown: every session says goodbye, then all connections are gone', async () => {
  // A client that connected to imaps but never starts its handshake must not hold shutdown up.
  const silent = await LineClient.connect(listeners.ports.imaps!);
  const a = await LineClient.connect(listeners.ports.imap!);
  const b = await LineClient.connectTls(listeners.ports.imaps!, material.certPem);
  await a.next();
  await b.next();
  assert.is(listeners.connectionCount(), 2);
  const done = listeners.shutdown(2000);
  assert.is(await a.next(), 'SHUTDOWN');
  assert.is(await b.next(), 'SHUTDOWN');
  await done;
  assert.is(listeners.connectionCount(), 0);
  assert.is(await a.next(), null);
  assert.is(await silent.next(), null);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
