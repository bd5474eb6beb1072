/**
 * POP3 and LMTP through the real TCP listeners: LMTP delivery over a socket, then curl (a
 * second, independent POP3 client) reads the message back in plaintext, after STLS, and over
 * implicit TLS (pop3s).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildConfig } from '../../core/config/load.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { loadTlsMaterial } from '../../core/tls.ts';
import { createConnectionRegistry } from '../../protocols/net/connection-registry.ts';
import { startListeners, type Listeners } from '../../protocols/net/listeners.ts';
import type { ServerContext } from '../../protocols/net/types.ts';
import { createLmtpSession } from '../../protocols/lmtp/session.ts';
import { createPop3Session } from '../../protocols/pop3/session.ts';
import { AuthDouble } from './support/harness.ts';
import { SocketLines } from './support/socket-client.ts';

const run = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'columba-pop3-'));
const config = buildConfig({
  home,
  listen: { imap: null, imaps: null, pop3: 0, pop3s: 0, lmtp: 0 },
  storage: { driver: 'memory' },
});
const material = loadTlsMaterial(config, 'localhost');
const auth = new AuthDouble();
auth.users.set('alice', 'secret');
const store = createMailStore({ config, objects: createMemoryStore() });
const ctx: ServerContext = {
  config,
  auth,
  store,
  log: silentLogger(),
  connections: createConnectionRegistry(config.limits.connectionsPerUser),
  hostname: 'mx.test',
};
let listeners: Listeners;

const MESSAGE = 'From: s@example.org\r\nSubject: over tcp\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n';

async function curl(args: string[]): Promise<string> {
  const { stdout } = await run('curl', ['-s', '-S', '--max-time', '10', ...args], { encoding: 'latin1' });
  return stdout;
}

test.before(async () => {
  listeners = await startListeners(ctx, { pop3: createPop3Session, lmtp: createLmtpSession }, { secureContext: material.secureContext });
});

test.after(async () => {
  await listeners.shutdown(1000);
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

test('LMTP delivery over TCP, dot-stuffed', async () => {
  const c = await SocketLines.open(listeners.ports.lmtp!);
  assert.is(await c.line(), '220 mx.test Columba LMTP ready');
  const stuffed = MESSAGE.replace(/^\./gm, '..');
  c.send(`LHLO t\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n`);
  for (let i = 0; i < 6; i++) await c.line();
  assert.is(await c.line(), '250 2.1.0 OK');
  assert.is(await c.line(), '250 2.1.5 OK');
  assert.is(await c.line(), '354 Start mail input; end with <CRLF>.<CRLF>');
  c.send(`${stuffed}.\r\nQUIT\r\n`);
  assert.is(await c.line(), '250 2.0.0 <alice@example.com> Saved');
  assert.is(await c.line(), '221 2.0.0 Bye');
  assert.ok(await c.waitClosed());
});

const expected = 'Return-Path: <s@example.org>\r\nDelivered-To: alice@example.com\r\n' + MESSAGE;

test('curl RETR over plaintext POP3 returns the exact bytes', async () => {
  const body = await curl(['-u', 'alice:secret', `pop3://127.0.0.1:${listeners.ports.pop3}/1`]);
  assert.is(body, expected);
});

test('curl LIST and UIDL', async () => {
  const list = await curl(['-u', 'alice:secret', `pop3://127.0.0.1:${listeners.ports.pop3}/`]);
  assert.is(list, `1 ${Buffer.byteLength(expected)}\r\n`);
  const uidl = await curl(['-u', 'alice:secret', '-X', 'UIDL', `pop3://127.0.0.1:${listeners.ports.pop3}/`]);
  assert.match(uidl, /^1 [\x21-\x7e]{1,70}\r\n$/);
});

test('curl over STLS and over pop3s, with SASL PLAIN and LOGIN', async () => {
  const stls = await curl(['-k', '--ssl-reqd', '--login-options', 'AUTH=PLAIN', '-u', 'alice:secret', `pop3://127.0.0.1:${listeners.ports.pop3}/1`]);
  assert.is(stls, expected);
  const login = await curl(['-k', '--ssl-reqd', '--login-options', 'AUTH=LOGIN', '-u', 'alice:secret', `pop3://127.0.0.1:${listeners.ports.pop3}/1`]);
  assert.is(login, expected, 'AUTH LOGIN goes through two continuations');
  const implicit = await curl(['-k', '-u', 'alice:secret', `pop3s://127.0.0.1:${listeners.ports.pop3s}/1`]);
  assert.is(implicit, expected);
});

test('a wrong password fails in curl', async () => {
  let failed = false;
  try {
    await curl(['-u', 'alice:wrong', `pop3://127.0.0.1:${listeners.ports.pop3}/1`]);
  } catch {
    failed = true;
  }
  assert.ok(failed, 'curl must fail on a wrong password');
});

test('raw socket: pipelined login and DELE over TCP commit at QUIT', async () => {
  const c = await SocketLines.open(listeners.ports.pop3!);
  assert.is(await c.line(), '+OK Columba POP3 ready.');
  c.send('USER alice\r\nPASS secret\r\nDELE 1\r\nQUIT\r\n');
  assert.is(await c.line(), '+OK');
  assert.is(await c.line(), '+OK Logged in.');
  assert.is(await c.line(), '+OK Marked to be deleted.');
  assert.is(await c.line(), '+OK Logging out.');
  assert.ok(await c.waitClosed());
  const user = await store.openUser('alice');
  assert.is((await user.status('INBOX')).messages, 0);
  await user.release();
});

test.run();
