import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { LineClient } from '../net/line-client.ts';

let srv: TestServer;

test.before(async () => {
  srv = await startTestServer({ storage: { driver: 'memory' } });
});

test('serve prints one listen line per listener and how to add a user', () => {
  for (const name of ['imap', 'imaps', 'pop3', 'pop3s', 'lmtp'] as const) {
    const port = srv.ports[name];
    assert.ok(typeof port === 'number' && port > 0, `${name} port`);
    assert.match(srv.stdout(), `${name} listening on 127.0.0.1:${port}`);
  }
  assert.match(srv.stdout(), 'columba user add NAME');
  assert.ok(existsSync(`${srv.home}/tls/cert.pem`), 'self-signed certificate generated under home');
});

test('a user added while the server runs logs in at once (IMAP, plain on loopback)', async () => {
  await srv.addUser('alice', 'wonderland');
  const c = await LineClient.connect(srv.ports.imap!);
  assert.match((await c.next()) ?? '', /^\* OK /);
  c.send('a1 LOGIN alice wonderland\r\n');
  let line: string | null;
  do line = await c.next();
  while (line !== null && !line.startsWith('a1 '));
  assert.match(line ?? '', /^a1 OK/);
  c.send('a2 LOGOUT\r\n');
  assert.match((await c.next()) ?? '', /^\* BYE/);
  c.end();
});

test('SHA512-CRYPT and ARGON2ID users log in through the running server', async () => {
  await srv.addUser('carol', 'c-pass', 'SHA512-CRYPT');
  await srv.addUser('dave', 'd-pass', 'ARGON2ID');
  for (const [user, pass] of [['carol', 'c-pass'], ['dave', 'd-pass']] as const) {
    const c = await LineClient.connect(srv.ports.pop3!);
    assert.match((await c.next()) ?? '', /^\+OK/);
    c.send(`USER ${user}\r\n`);
    assert.match((await c.next()) ?? '', /^\+OK/);
    c.send(`PASS ${pass}\r\n`);
    assert.match((await c.next()) ?? '', /^\+OK/, user);
    c.send('QUIT\r\n');
    await c.next();
    c.end();
  }
});

test('implicit TLS on pop3s with the generated certificate', async () => {
  const { readFileSync } = await import('node:fs');
  const c = await LineClient.connectTls(srv.ports.pop3s!, readFileSync(`${srv.home}/tls/cert.pem`, 'utf8'));
  assert.match((await c.next()) ?? '', /^\+OK/);
  c.end();
});

test('SIGTERM stops cleanly: sessions told, process exits', async () => {
  const c = await LineClient.connect(srv.ports.imap!);
  await c.next();
  await srv.stop();
  let line: string | null;
  let bye = false;
  while ((line = await c.next()) !== null) if (line.startsWith('* BYE')) bye = true;
  assert.ok(bye, 'IMAP session got * BYE at shutdown');
  assert.match(srv.stdout(), 'columba stopped');
});

test.after(async () => {
  await srv?.stop();
});
test.run();
