/**
 * PROTOCOL-CORNERS (IMAP): RFC822.SIZE and the size of BODY[] are the same number, counted with
 * CRLF line ends, even for a message that arrived with bare LF (delivery or APPEND); HEADER and
 * TEXT add up to it, and no bare LF reaches the client.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestServer, type ImapTestClient } from './harness.ts';

process.env.TZ = 'UTC';

const BARE_LF = 'From: a@example.org\nSubject: bare\n\nline one\nline two\n';

async function sizes(c: ImapTestClient, seq: number) {
  const lines = await c.command(`f${seq} FETCH ${seq} (RFC822.SIZE BODY.PEEK[] BODY.PEEK[HEADER] BODY.PEEK[TEXT])`);
  const first = lines[0]!;
  const m = /RFC822\.SIZE (\d+) BODY\[\] \{(\d+)\}$/.exec(first);
  assert.ok(m, first);
  const all = lines.join('\r\n');
  const header = /BODY\[HEADER\] \{(\d+)\}/.exec(all);
  const text = /BODY\[TEXT\] \{(\d+)\}/.exec(all);
  assert.ok(header && text, all);
  for (const l of lines) assert.not.ok(l.includes('\n') || l.includes('\r'), `bare line end in ${JSON.stringify(l)}`);
  return { size: Number(m[1]), body: Number(m[2]), header: Number(header[1]), text: Number(text[1]) };
}

test('a message delivered with bare LF is served with CRLF and matching sizes', async () => {
  const s = createTestServer();
  try {
    await s.deliver('alice', 'INBOX', Buffer.from(BARE_LF, 'utf8'));
    const c = s.connect();
    await c.login();
    await c.command('s SELECT INBOX');
    const r = await sizes(c, 1);
    const crlfLength = Buffer.byteLength(BARE_LF.replace(/\n/g, '\r\n'));
    assert.is(r.size, crlfLength);
    assert.is(r.body, r.size);
    assert.is(r.header + r.text, r.size);
  } finally {
    await s.close();
  }
});

test('APPEND with bare LF: the stored size is what BODY[] sends', async () => {
  const s = createTestServer();
  try {
    const c = s.connect();
    await c.login();
    await c.command('s SELECT INBOX');
    const raw = Buffer.from(BARE_LF, 'utf8');
    c.sendRaw(`a APPEND INBOX {${raw.length}+}\r\n`);
    c.sendRaw(Buffer.concat([raw, Buffer.from('\r\n')]));
    const reply = await c.readUntilTag('a');
    assert.match(reply.at(-1)!, /^a OK /);
    const r = await sizes(c, 1);
    assert.is(r.body, r.size);
    assert.is(r.header + r.text, r.size);
  } finally {
    await s.close();
  }
});

test.run();
