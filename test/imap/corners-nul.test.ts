/**
 * PROTOCOL-CORNERS (IMAP strings): a literal carries CHAR8 (%x01-ff), never NUL. Messages can
 * hold NUL (LMTP takes it as data); the server sends 0x80 in its place, keeping every size.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunksToBuffer, literal, stringChunks } from '../../protocols/imap/encode.ts';
import { createTestServer } from './harness.ts';

test('literal() replaces NUL by 0x80 without touching the caller\'s buffer', () => {
  const data = Buffer.from([0x61, 0x00, 0x62, 0x00]);
  const out = chunksToBuffer(literal(data));
  assert.equal([...out], [...Buffer.from('{4}\r\n'), 0x61, 0x80, 0x62, 0x80]);
  assert.equal([...data], [0x61, 0x00, 0x62, 0x00]);
  assert.is(chunksToBuffer(stringChunks('a\u0000b')).includes(0), false);
});

test('FETCH of a message with NUL in header and body sends no NUL; sizes agree', async () => {
  const s = createTestServer();
  try {
    await s.deliver('alice', 'INBOX', Buffer.from('From: a@example.org\r\nSubject: x\u0000y\r\n\r\nbo\u0000dy\r\n', 'latin1'));
    const c = s.connect();
    await c.login();
    await c.command('s SELECT INBOX');
    const lines = await c.command('f FETCH 1 (ENVELOPE RFC822.SIZE BODY.PEEK[])');
    assert.match(lines.at(-1)!, /^f OK /);
    const m = /RFC822\.SIZE (\d+) BODY\[\] \{(\d+)\}$/.exec(lines.find((l) => l.includes('RFC822.SIZE'))!);
    assert.ok(m);
    assert.is(m[1], m[2]);
    assert.not.ok(lines.join('\n').includes('\u0000'), 'a NUL byte was sent');
  } finally {
    await s.close();
  }
});

test.run();
