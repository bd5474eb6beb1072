/**
 * A real client's bytes through our receiver: imapflow talks to a tiny scripted server (port 0
 * on 127.0.0.1) that parses every command with ImapReceiver and answers with the serializers.
 * The test checks the typed commands the parser produced, so client quirks show up here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { ImapFlow } from 'imapflow';
import { ImapReceiver, atom, continuation, tagged, untagged, untaggedStatus, type ImapCommand } from '../../protocols/imap/wire/index.ts';
import { defaultLimits } from './helpers.ts';

const CAPS = 'IMAP4rev1 LITERAL+ ID ENABLE UIDPLUS MOVE CONDSTORE SPECIAL-USE';

function answer(socket: Socket, tag: string, cmd: ImapCommand): void {
  const out: Buffer[] = [];
  switch (cmd.name) {
    case 'CAPABILITY':
      out.push(untagged(`CAPABILITY ${CAPS}`));
      break;
    case 'LIST':
      if (cmd.patterns[0] === '') {
        out.push(untagged([atom('LIST'), [atom('\\Noselect')], '/', '']));
        break;
      }
      out.push(untagged([atom('LIST'), [atom('\\HasNoChildren')], '/', 'INBOX']));
      out.push(untagged([atom('LIST'), [atom('\\HasNoChildren'), atom('\\Drafts')], '/', 'Entw&APw-rfe']));
      break;
    case 'SELECT':
    case 'EXAMINE':
      out.push(untagged('FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)'));
      out.push(untagged('3 EXISTS'));
      out.push(untaggedStatus('OK', 'UIDs valid', 'UIDVALIDITY 1'));
      out.push(untaggedStatus('OK', 'Predicted next UID', 'UIDNEXT 4'));
      out.push(untaggedStatus('OK', 'Highest', 'HIGHESTMODSEQ 9'));
      break;
    case 'SEARCH':
      out.push(untagged('SEARCH 1 2'));
      break;
    case 'STATUS':
      out.push(untagged([atom('STATUS'), cmd.mailbox, [atom('MESSAGES'), 3, atom('UIDNEXT'), 4]]));
      break;
    case 'APPEND':
      out.push(tagged(tag, 'OK', 'Append completed', 'APPENDUID 1 4'));
      break;
    case 'LOGOUT':
      out.push(untaggedStatus('BYE', 'Logging out'));
      break;
  }
  if (cmd.name !== 'APPEND') {
    const code = cmd.name === 'LOGIN' ? `CAPABILITY ${CAPS}` : cmd.name === 'SELECT' ? 'READ-WRITE' : null;
    out.push(tagged(tag, 'OK', `${cmd.name} completed`, code));
  }
  socket.write(Buffer.concat(out));
}

function startServer(seen: Array<{ tag: string; command: ImapCommand } | string>): Promise<Server> {
  const server = createServer((socket) => {
    const receiver = new ImapReceiver(defaultLimits);
    socket.write(untaggedStatus('OK', 'ready', `CAPABILITY ${CAPS}`));
    socket.on('data', (chunk: Buffer) => {
      receiver.push(chunk);
      for (;;) {
        const e = receiver.next();
        if (e.kind === 'need-more') break;
        if (e.kind === 'need-continuation') socket.write(continuation());
        else if (e.kind === 'request') {
          seen.push({ tag: e.tag, command: e.command });
          if (e.command.name === 'LOGIN') receiver.setAuthenticated(true);
          answer(socket, e.tag, e.command);
        } else if (e.kind === 'error') {
          seen.push(`error: ${e.text}`);
          socket.write(tagged(e.tag ?? '*', e.response, e.text, e.code));
        }
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('imapflow session: every command parses to what the client meant', async () => {
  const seen: Array<{ tag: string; command: ImapCommand } | string> = [];
  const server = await startServer(seen);
  const port = (server.address() as AddressInfo).port;
  const client = new ImapFlow({
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: 'jörg@example.com', pass: 'p "q" \\ {3}' },
    logger: false,
    disableAutoIdle: true,
    clientInfo: { name: 'columba-test', version: '1' },
  });
  try {
    await client.connect();
    await client.list();
    await client.mailboxOpen('INBOX');
    await client.search({ or: [{ from: 'alice' }, { subject: 'grüße' }], since: new Date(Date.UTC(2024, 1, 3)) }, { uid: true });
    await client.messageFlagsAdd('1:2', ['\\Seen', '$Label1'], { uid: true });
    await client.status('Entwürfe', { messages: true, uidNext: true });
    await client.append('Entwürfe', Buffer.from('Subject: x\r\n\r\nbody\r\n'), ['\\Draft'], new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    for await (const _ of client.fetch('1:*', { uid: true, flags: true, envelope: true, headers: ['From'] })) void _;
    await client.logout();
  } finally {
    client.close();
    await new Promise((r) => server.close(r));
  }

  const errors = seen.filter((s) => typeof s === 'string');
  assert.equal(errors, []);
  const commands = seen.map((s) => (typeof s === 'string' ? s : s.command));
  const find = (name: string) => commands.find((c: any) => c.name === name) as any;

  assert.equal(find('LOGIN'), { name: 'LOGIN', user: 'jörg@example.com', password: 'p "q" \\ {3}' });
  assert.is(find('ID').params.name, 'columba-test');
  assert.equal(find('SELECT'), { name: 'SELECT', mailbox: 'INBOX', condstore: find('SELECT').condstore });
  const search = find('SEARCH');
  assert.is(search.uid, true);
  assert.equal(JSON.stringify(search.criteria).includes('"grüße"'), true, JSON.stringify(search.criteria));
  assert.equal(JSON.stringify(search.criteria).includes('"2024-02-03"'), true, JSON.stringify(search.criteria));
  const store = find('STORE');
  assert.equal([store.uid, store.operation, store.flags], [true, 'add', ['\\Seen', '$Label1']]);
  assert.equal(find('STATUS'), { name: 'STATUS', mailbox: 'Entwürfe', items: ['MESSAGES', 'UIDNEXT'] });
  const append = find('APPEND');
  assert.is(append.mailbox, 'Entwürfe');
  assert.equal(append.messages[0].flags, ['\\Draft']);
  assert.is(append.messages[0].internalDate.toISOString(), '2024-01-02T03:04:05.000Z');
  assert.is(append.messages[0].message.toString(), 'Subject: x\r\n\r\nbody\r\n');
  const fetch = find('FETCH');
  const types = fetch.attributes.map((a: any) => (a.type === 'BODY[]' ? a.label : a.type));
  assert.ok(types.includes('FLAGS') && types.includes('ENVELOPE') && types.includes('HEADER.FIELDS (From)'), JSON.stringify(types));
  assert.ok(find('LOGOUT'));
});

test.run();
