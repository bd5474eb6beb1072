import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { buildConfig } from '../../core/config/load.ts';
import { startColumba } from '../../core/server.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { SessionFactory } from '../../protocols/net/types.ts';
import { echoFactory } from './echo-session.ts';
import { LineClient } from './line-client.ts';

const home = mkdtempSync(join(tmpdir(), 'columba-server-'));
const config = buildConfig({
  home,
  storage: { driver: 'memory' },
  workers: { threads: 1 },
  listen: { imap: 0, imaps: 0, pop3: 0, pop3s: null, lmtp: 0 },
});

test('startColumba with the memory store: ports bound, sessions served, stop says goodbye', async () => {
  const srv = await startColumba(config, { log: silentLogger() });
  assert.ok(srv.ports.imap! > 0 && srv.ports.imaps! > 0 && srv.ports.pop3! > 0);
  assert.is(srv.ports.pop3s, null);
  const c = await LineClient.connect(srv.ports.imap!);
  assert.match((await c.next()) ?? '', /^\* OK/);
  const p = await LineClient.connect(srv.ports.pop3!);
  assert.match((await p.next()) ?? '', /^\+OK/);
  assert.is(srv.connectionCount(), 2);
  await srv.stop();
  let line: string | null;
  let bye = false;
  while ((line = await c.next()) !== null) if (line.startsWith('* BYE')) bye = true;
  assert.ok(bye, '* BYE at shutdown');
  assert.is(srv.connectionCount(), 0);
  await srv.stop(); // idempotent
});

test('a missing protocol module costs only its listeners', async () => {
  const srv = await startColumba(config, {
    log: silentLogger(),
    modules: { imapSession: echoFactory as SessionFactory, pop3Session: null, lmtpSession: null, createWorkerPool: null },
  });
  assert.is(srv.ports.pop3, null);
  assert.is(srv.ports.lmtp, null);
  const c = await LineClient.connect(srv.ports.imap!);
  assert.is(await c.next(), 'HELLO secure=false loopback=true tls=true');
  await srv.stop();
  assert.is(await c.next(), 'SHUTDOWN');
});

test('a failing start releases what it opened', async () => {
  let closed = 0;
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const busyPort = (taken.address() as net.AddressInfo).port;
  const started = await startColumba(buildConfig({ home, storage: { driver: 'memory' }, listen: { imap: 0, imaps: busyPort, pop3: null, pop3s: null, lmtp: null } }), {
    log: silentLogger(),
    modules: {
      imapSession: echoFactory as SessionFactory,
      createWorkerPool: null,
      createObjectStore: () => ({
        driver: 'fake',
        put: async () => {},
        get: async () => ({ data: Buffer.alloc(0), meta: {} }),
        head: async () => null,
        delete: async () => {},
        list: async function* () {},
        close: async () => {
          closed++;
        },
      }),
    },
  }).then(
    (srv) => srv,
    (e: Error) => e,
  );
  taken.close();
  if (!(started instanceof Error)) await started.stop();
  assert.instance(started, Error, 'start failed on a port in use');
  assert.match((started as NodeJS.ErrnoException).code ?? '', 'EADDRINUSE');
  assert.is(closed, 1);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
