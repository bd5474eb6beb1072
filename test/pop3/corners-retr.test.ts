/**
 * PROTOCOL-CORNERS (POP3): messages that did not arrive through LMTP (IMAP APPEND can store a
 * message without a final CRLF, or with a leading dot on its first line): RETR and TOP still end
 * with CRLF "." CRLF, dot-stuff every line that starts with ".", and TOP n counts body lines.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configSchema } from '../../core/config/schema.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { createPop3Session } from '../../protocols/pop3/session.ts';
import { Harness } from './support/harness.ts';

async function session(raw: string) {
  const h = new Harness(createMailStore({ config: configSchema.parse({ storage: { driver: 'memory' } }), objects: createMemoryStore() }));
  h.auth.users.set('alice', 'pw');
  const user = await h.store.openUser('alice');
  await user.append('INBOX', Buffer.from(raw, 'binary'));
  await user.release();
  const c = h.connect(createPop3Session);
  await c.expect('+OK Columba POP3 ready.');
  c.send('USER alice');
  await c.expect('+OK');
  c.send('PASS pw');
  await c.expect('+OK Logged in.');
  return c;
}

test('no final CRLF: RETR and TOP still end with CRLF . CRLF', async () => {
  const raw = '.first: dotted header\r\nSubject: x\r\n\r\n.one\r\ntwo\r\nlast';
  const c = await session(raw);
  c.send('LIST 1');
  await c.expect(`+OK 1 ${raw.length}`);
  c.send('RETR 1');
  await c.expect(`+OK ${raw.length} octets`, '..first: dotted header', 'Subject: x', '', '..one', 'two', 'last', '.');
  c.send('TOP 1 1');
  await c.expect('+OK', '..first: dotted header', 'Subject: x', '', '..one', '.');
  c.send('TOP 1 3');
  await c.expect('+OK', '..first: dotted header', 'Subject: x', '', '..one', 'two', 'last', '.');
  c.send('QUIT');
  await c.expect('+OK Logging out.');
});

test('a header without a body: TOP 1 0 sends the header and the (added) blank line', async () => {
  const raw = 'Subject: only\r\n';
  const c = await session(raw);
  c.send('TOP 1 0');
  const first = await c.line();
  assert.is(first, '+OK');
  const lines: string[] = [];
  for (let l = await c.line(); l !== '.'; l = await c.line()) lines.push(l);
  assert.is(lines[0], 'Subject: only');
  c.send('QUIT');
  await c.expect('+OK Logging out.');
});

test.run();
