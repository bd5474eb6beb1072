/**
 * End to end with real clients against a server started as a child process:
 * smtp-source (Postfix) delivers over LMTP, imapflow and curl read over IMAP, curl over POP3.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { startTestServer } from '../helpers/server.ts';
import { LmtpClient } from './lmtp-client.ts';

const run = promisify(execFile);
const smtpSource = existsSync('/usr/sbin/smtp-source') ? '/usr/sbin/smtp-source' : 'smtp-source';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const e2e = suite<{ server: Server }>('real clients');

e2e.before(async (ctx) => {
  ctx.server = await startTestServer();
  await ctx.server.addUser('alice', 'wonderland');
  await ctx.server.addUser('bob', 'builder');
});
e2e.after(async (ctx) => {
  await ctx.server?.stop();
});

async function messages(client: ImapFlow, box: string): Promise<number> {
  const status = await client.status(box, { messages: true });
  if (!status || status.messages === undefined) throw new Error(`STATUS ${box} failed`);
  return status.messages;
}

function imap(ctx: { server: Server }, user = 'alice', pass = 'wonderland'): ImapFlow {
  return new ImapFlow({
    host: '127.0.0.1',
    port: ctx.server.ports.imap,
    secure: false,
    auth: { user, pass },
    logger: false,
    tls: { rejectUnauthorized: false },
  });
}

e2e('smtp-source -L delivers 5 messages over LMTP', async (ctx) => {
  await run(smtpSource, [
    '-L', '-m', '5', '-s', '1', '-l', '2000', '-f', 'sender@example.org', '-t', 'alice@example.org',
    '-S', 'from smtp-source', `127.0.0.1:${ctx.server.ports.lmtp}`,
  ]);
  const client = imap(ctx);
  await client.connect();
  assert.is(await messages(client, 'INBOX'), 5);
  await client.logout();
});

e2e('imapflow: list, append, fetch, search, move, expunge', async (ctx) => {
  const client = imap(ctx);
  await client.connect();
  const boxes = await client.list();
  const names = boxes.map((b) => b.path).sort();
  for (const n of ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']) assert.ok(names.includes(n), `missing ${n}`);
  assert.is(boxes.find((b) => b.path === 'Sent')?.specialUse, '\\Sent');

  const raw = 'From: Carol <carol@example.org>\r\nTo: alice@example.org\r\nSubject: Lunch plans\r\n' +
    'Message-ID: <lunch-1@example.org>\r\nDate: Mon, 7 Feb 2022 21:52:25 -0800\r\n\r\nShall we meet at noon?\r\n';
  const appended = await client.append('INBOX', raw, ['\\Flagged']);
  const uid = appended ? appended.uid : undefined;
  assert.ok(uid !== undefined && uid > 0, 'APPENDUID');

  const lock = await client.getMailboxLock('INBOX');
  try {
    const found = await client.search({ subject: 'lunch' }, { uid: true });
    assert.equal(found, [uid]);
    const msg = await client.fetchOne(String(uid), { envelope: true, source: true, flags: true, bodyStructure: true }, { uid: true });
    assert.ok(msg, 'fetched');
    assert.is(msg!.envelope!.subject, 'Lunch plans');
    assert.is(msg!.envelope!.from![0]!.address, 'carol@example.org');
    assert.is(msg!.source!.toString('latin1'), raw);
    assert.ok(msg!.flags!.has('\\Flagged'));
    assert.is(msg!.bodyStructure!.type, 'text/plain');

    const moved = await client.messageMove(String(uid), 'Archive', { uid: true });
    assert.ok(moved, 'MOVE answered');
    const after = await client.search({ subject: 'lunch' }, { uid: true });
    assert.equal(after, []);

    // expunge one of the smtp-source messages
    await client.messageFlagsAdd('1', ['\\Deleted']);
    await client.mailboxClose();
  } finally {
    lock.release();
  }
  assert.is(await messages(client, 'INBOX'), 4);
  assert.is(await messages(client, 'Archive'), 1);
  await client.logout();
});

e2e('imapflow IDLE sees a message delivered over LMTP', async (ctx) => {
  const client = imap(ctx);
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  const before = (client.mailbox as { exists: number }).exists;
  const seen = new Promise<number>((resolve) => client.on('exists', (d: { count: number }) => resolve(d.count)));
  const idling = client.idle();
  const lmtp = await LmtpClient.connect(ctx.server.ports.lmtp);
  const replies = await lmtp.deliver({
    from: 'dave@example.org',
    to: ['alice@example.org'],
    message: 'From: dave@example.org\r\nSubject: while idling\r\n\r\nping\r\n',
  });
  await lmtp.quit();
  assert.ok(replies[0]!.startsWith('250'), replies[0]);
  const count = await seen;
  assert.is(count, before + 1);
  lock.release();
  // idle() settles only when IDLE is broken off; LOGOUT does that.
  await client.logout();
  await idling.catch(() => undefined);
});

e2e('curl reads over IMAP and POP3', async (ctx) => {
  const port = ctx.server.ports;
  const list = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${port.imap}/`, '-u', 'alice:wonderland']);
  assert.match(list.stdout, /INBOX/);
  const fetched = await run('curl', ['-s', '--max-time', '20', `imap://127.0.0.1:${port.imap}/Archive;UID=1`, '-u', 'alice:wonderland']);
  assert.match(fetched.stdout, /Shall we meet at noon\?/);
  const popList = await run('curl', ['-s', '--max-time', '20', `pop3://127.0.0.1:${port.pop3}/`, '-u', 'alice:wonderland']);
  const lines = popList.stdout.trim().split(/\r?\n/);
  assert.ok(lines.length >= 4, popList.stdout);
  const retr = await run('curl', ['-s', '--max-time', '20', `pop3://127.0.0.1:${port.pop3}/1`, '-u', 'alice:wonderland']);
  assert.match(retr.stdout, /Delivered-To: <?alice@example\.org>?/);
  assert.match(retr.stdout, /Return-Path: <sender@example\.org>/);
});

e2e('curl over IMAPS and POP3S with the generated certificate', async (ctx) => {
  const port = ctx.server.ports;
  const list = await run('curl', ['-s', '-k', '--max-time', '20', `imaps://127.0.0.1:${port.imaps}/`, '-u', 'alice:wonderland']);
  assert.match(list.stdout, /INBOX/);
  const stat = await run('curl', ['-s', '-k', '--max-time', '20', `pop3s://127.0.0.1:${port.pop3s}/`, '-u', 'alice:wonderland']);
  assert.ok(stat.stdout.trim().length > 0);
});

e2e('a wrong password is refused and bob cannot see alice mail', async (ctx) => {
  const bad = imap(ctx, 'alice', 'nope');
  let failed = false;
  try {
    await bad.connect();
  } catch {
    failed = true;
  }
  assert.ok(failed, 'login with a wrong password must fail');
  const client = imap(ctx, 'bob', 'builder');
  await client.connect();
  assert.is(await messages(client, 'INBOX'), 0);
  await client.logout();
});

e2e.run();
