/**
 * The protocols over the S3 driver while s3rver misbehaves (behind the fault proxy): APPEND and
 * LMTP DATA while message PUTs fail, FETCH and POP3 RETR while message GETs fail. Each gets a
 * temporary error, nothing half-done is visible, and the session carries on once the fault is
 * gone. The server runs in this process on an s3 store pointed at the proxy.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../core/config/load.ts';
import { startColumba, type ColumbaServer } from '../../core/server.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { addPasswdUser } from '../../core/auth/passwd-file.ts';
import { hashPassword } from '../../core/auth/schemes.ts';
import { LineClient } from '../net/line-client.ts';
import { LmtpClient } from './lmtp-client.ts';
import { createS3Store, type S3Store } from '../../core/storage/drivers/s3.ts';
import { messagePrefix } from '../../core/storage/keys.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startS3rver, type S3rverHandle } from '../storage/s3rver-process.ts';

const MESSAGE_KEYS = /\/m\/[0-9a-f]{32}$/;
let s3: S3rverHandle;
let proxy: FaultProxy;
let server: ColumbaServer;
let direct: S3Store;
const home = mkdtempSync(join(tmpdir(), 'columba-s3faults-'));

/** Sends one tagged command; returns every line up to and including the tagged one. */
async function imap(c: LineClient, tag: string, command: string): Promise<string[]> {
  c.send(`${tag} ${command}\r\n`);
  const lines: string[] = [];
  for (;;) {
    const l = await c.next();
    if (l === null) throw new Error(`connection closed after ${JSON.stringify(lines)}`);
    lines.push(l);
    if (l.startsWith(`${tag} `)) return lines;
  }
}
const last = (lines: string[]): string => lines[lines.length - 1]!;

async function imapLogin(user: string): Promise<LineClient> {
  const c = await LineClient.connect(server.ports.imap!);
  assert.match((await c.next()) ?? '', /^\* OK/);
  assert.match(last(await imap(c, 'L', `LOGIN ${user} pw`)), /^L OK/);
  return c;
}
const message = (id: string, body = 'hello'): string =>
  `From: a@example.org\r\nTo: b@example.org\r\nSubject: ${id}\r\nMessage-ID: <${id}@faults>\r\n\r\n${body}\r\n`;
const append = (c: LineClient, tag: string, box: string, msg: string): Promise<string[]> =>
  imap(c, tag, `APPEND ${box} {${Buffer.byteLength(msg)}+}\r\n${msg}`);

test.before(async () => {
  s3 = await startS3rver('protofaults');
  proxy = await startFaultProxy(s3.endpoint);
  const config = buildConfig({
    home,
    log: { level: 'silent' },
    workers: { threads: 1 },
    auth: { failureDelayMs: 0 },
    listen: { host: '127.0.0.1', imap: 0, imaps: null, pop3: 0, pop3s: null, lmtp: 0 },
    storage: {
      driver: 's3',
      s3: {
        endpoint: proxy.endpoint,
        bucket: s3.bucket,
        accessKeyId: 'S3RVER',
        secretAccessKey: 'S3RVER',
        forcePathStyle: true,
        retries: 1,
        requestTimeoutMs: 500,
        sortListing: true,
      },
    },
  });
  for (const user of ['alice', 'bob', 'carol']) await addPasswdUser(config.auth.passwdFile!, user, await hashPassword('pw', 'SSHA512'));
  server = await startColumba(config, { log: silentLogger(), modules: { createWorkerPool: null } });
  direct = createS3Store({ ...config.storage.s3, endpoint: s3.endpoint });
});
test.after.each(() => proxy.clear());
test.after(async () => {
  await server?.stop();
  await direct?.close();
  await proxy?.close();
  await s3?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('APPEND while message PUTs fail: NO [UNAVAILABLE], mailbox unchanged, the next APPEND works', async () => {
  const c = await imapLogin('alice');
  assert.match(last(await append(c, 'A1', 'INBOX', message('a1'))), /^A1 OK \[APPENDUID \d+ 1\]/);
  proxy.inject({ op: 'put', key: MESSAGE_KEYS, fault: { kind: 'status', status: 503, code: 'SlowDown' } });
  assert.equal(await append(c, 'A2', 'INBOX', message('a2')), ['A2 NO [UNAVAILABLE] Temporary failure, try again later']);
  assert.ok(proxy.faults().length >= 2, 'the PUT was tried again before giving up');
  assert.equal(await imap(c, 'A3', 'STATUS INBOX (MESSAGES UIDNEXT)'), ['* STATUS INBOX (MESSAGES 1 UIDNEXT 2)', 'A3 OK Status completed.']);
  proxy.clear();
  assert.match(last(await append(c, 'A4', 'INBOX', message('a4'))), /^A4 OK \[APPENDUID \d+ 2\]/);
  assert.equal(await imap(c, 'A5', 'STATUS INBOX (MESSAGES)'), ['* STATUS INBOX (MESSAGES 2)', 'A5 OK Status completed.']);
  await imap(c, 'Z', 'LOGOUT');
  c.end();
});

test('APPEND whose PUT landed but whose answer was lost: NO, and no object is left for recovery to revive', async () => {
  const c = await imapLogin('alice');
  proxy.inject({ op: 'put', key: MESSAGE_KEYS, fault: { kind: 'status', status: 500, code: 'InternalError', forward: true } });
  assert.equal(await append(c, 'B1', 'INBOX', message('b1')), ['B1 NO [UNAVAILABLE] Temporary failure, try again later']);
  const landed = proxy.faults().map((e) => e.key);
  proxy.clear();
  assert.ok(landed.length > 0);
  for (const key of new Set(landed)) assert.is(await direct.head(key), null, `${key} was removed after the failed APPEND`);
  assert.equal(await imap(c, 'B2', 'STATUS INBOX (MESSAGES)'), ['* STATUS INBOX (MESSAGES 2)', 'B2 OK Status completed.']);
  let objects = 0;
  for await (const k of direct.list(messagePrefix('alice'))) if (k) objects++;
  assert.is(objects, 2, 'one object per message in INBOX, none orphaned');
  await imap(c, 'Z', 'LOGOUT');
  c.end();
});

test('FETCH while message GETs fail: a tagged NO, no partial literal, the session stays usable', async () => {
  const c = await imapLogin('alice');
  await append(c, 'F0', 'INBOX', message('f0', 'x'.repeat(3000)));
  assert.match(last(await imap(c, 'F1', 'SELECT INBOX')), /^F1 OK \[READ-WRITE\]/);
  proxy.inject({ op: 'get', key: MESSAGE_KEYS, fault: { kind: 'truncate', keepBytes: 500 } });
  const failed = await imap(c, 'F2', 'UID FETCH 3 BODY.PEEK[]');
  // A cut body after the retries ends as UNAVAILABLE (connection error); only the tagged line.
  assert.equal(failed, ['F2 NO [UNAVAILABLE] Storage is unavailable, try again later']);
  proxy.clear();
  const ok = await imap(c, 'F3', 'UID FETCH 3 BODY.PEEK[]');
  assert.match(ok[0]!, /^\* 3 FETCH \(UID 3 BODY\[\] \{\d+\}$/);
  assert.match(last(ok), /^F3 OK/);
  await imap(c, 'Z', 'LOGOUT');
  c.end();
});

test('LMTP DATA while message PUTs fail: 451 4.3.0 per recipient, then one copy after the retry', async () => {
  const lmtp = await LmtpClient.connect(server.ports.lmtp!);
  const msg = message('l1');
  // bob's PUTs never get an answer; carol's reach s3rver but their answers are lost.
  proxy.inject({ op: 'put', key: /\/bob\/m\//, fault: { kind: 'timeout' } });
  proxy.inject({ op: 'put', key: MESSAGE_KEYS, fault: { kind: 'lost-response' } });
  const replies = await lmtp.deliver({ from: 'a@example.org', to: ['bob@example.org', 'carol@example.org'], message: msg });
  assert.equal(replies, ['451 4.3.0 <bob@example.org> Temporary internal error', '451 4.3.0 <carol@example.org> Temporary internal error']);
  proxy.clear();
  const again = await lmtp.deliver({ from: 'a@example.org', to: ['bob@example.org', 'carol@example.org'], message: msg });
  assert.equal(again.map((r) => r.slice(0, 9)), ['250 2.0.0', '250 2.0.0']);
  await lmtp.quit();
  for (const user of ['bob', 'carol']) {
    const c = await imapLogin(user);
    assert.equal(await imap(c, 'S1', 'STATUS INBOX (MESSAGES)'), ['* STATUS INBOX (MESSAGES 1)', 'S1 OK Status completed.']);
    await imap(c, 'S2', 'EXAMINE INBOX');
    assert.equal(await imap(c, 'S3', 'SEARCH HEADER Message-ID l1@faults'), ['* SEARCH 1', 'S3 OK Search completed.']);
    const objects: string[] = [];
    for await (const k of direct.list(messagePrefix(user))) objects.push(k);
    assert.is(objects.length, 1, `${user}: one message object, nothing left from the failed attempt`);
    await imap(c, 'Z', 'LOGOUT');
    c.end();
  }
});

test('POP3 RETR while message GETs fail: -ERR [SYS/TEMP], then RETR works', async () => {
  const c = await LineClient.connect(server.ports.pop3!);
  assert.match((await c.next()) ?? '', /^\+OK/);
  const say = async (line: string): Promise<string> => {
    c.send(`${line}\r\n`);
    return (await c.next()) ?? '(closed)';
  };
  assert.match(await say('USER bob'), /^\+OK/);
  assert.match(await say('PASS pw'), /^\+OK/);
  proxy.inject({ op: 'get', key: MESSAGE_KEYS, fault: { kind: 'reset-response', afterBytes: 50 } });
  assert.is(await say('RETR 1'), '-ERR [SYS/TEMP] Mail storage is temporarily unavailable.');
  proxy.clear();
  assert.match(await say('RETR 1'), /^\+OK/);
  const body: string[] = [];
  for (let l = await c.next(); l !== null && l !== '.'; l = await c.next()) body.push(l);
  assert.ok(body.includes('Message-ID: <l1@faults>'), body.join('\n'));
  assert.match(await say('QUIT'), /^\+OK/);
  c.end();
});

test.run();
