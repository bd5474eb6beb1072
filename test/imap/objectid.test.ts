/**
 * OBJECTID (RFC 8474) properties a transcript cannot check because ids are random: ids stay
 * the same across RENAME (mailbox) and COPY/MOVE (message), differ between objects, and
 * SEARCH EMAILID finds the message with that id.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestServer } from './harness.ts';
import { fixture } from './transcript.ts';

function idIn(lines: string[], re: RegExp): string {
  for (const l of lines) {
    const m = re.exec(l);
    if (m) return m[1]!;
  }
  throw new Error(`no id in ${JSON.stringify(lines)}`);
}

test('MAILBOXID: CREATE, SELECT and STATUS agree; RENAME keeps it; another mailbox differs', async () => {
  const s = createTestServer();
  try {
    const c = s.connect();
    await c.login();
    const created = idIn(await c.command('a CREATE foo'), /^a OK \[MAILBOXID \(([0-9a-f]{32})\)\]/);
    const other = idIn(await c.command('b CREATE bar'), /^b OK \[MAILBOXID \(([0-9a-f]{32})\)\]/);
    assert.is.not(created, other);
    assert.equal(await c.command('c RENAME foo renamed'), ['c OK Rename completed.']);
    const status = idIn(await c.command('d STATUS renamed (MAILBOXID)'), /^\* STATUS renamed \(MAILBOXID \(([0-9a-f]{32})\)\)$/);
    assert.is(status, created);
    const selected = idIn(await c.command('e SELECT renamed'), /^\* OK \[MAILBOXID \(([0-9a-f]{32})\)\] Ok$/);
    assert.is(selected, created);
  } finally {
    await s.close();
  }
});

test('EMAILID: SEARCH EMAILID finds the message; COPY keeps the id in the destination', async () => {
  const s = createTestServer();
  try {
    await s.deliver('alice', 'INBOX', fixture('simple'));
    await s.deliver('alice', 'INBOX', fixture('multipart'));
    const c = s.connect();
    await c.login();
    await c.command('a SELECT INBOX');
    const second = idIn(await c.command('b FETCH 2 (EMAILID)'), /^\* 2 FETCH \(EMAILID \(([0-9a-f]{32})\)\)$/);
    const first = idIn(await c.command('b2 FETCH 1 (EMAILID)'), /^\* 1 FETCH \(EMAILID \(([0-9a-f]{32})\)\)$/);
    assert.is.not(first, second);
    assert.equal(await c.command(`c SEARCH EMAILID ${second}`), ['* SEARCH 2', 'c OK Search completed.']);
    assert.equal(await c.command(`d UID SEARCH NOT EMAILID ${second}`), ['* SEARCH 1', 'd OK Search completed.']);
    await c.command('e CREATE Archive');
    await c.command('f COPY 2 Archive');
    await c.command('g SELECT Archive');
    const copied = idIn(await c.command('h FETCH 1 (EMAILID)'), /^\* 1 FETCH \(EMAILID \(([0-9a-f]{32})\)\)$/);
    assert.is(copied, second);
    assert.equal(await c.command(`i SEARCH EMAILID ${second}`), ['* SEARCH 1', 'i OK Search completed.']);
  } finally {
    await s.close();
  }
});

test.run();
