/**
 * Typed parses of REPLACE (RFC 8508), APPEND/REPLACE `UTF8 (~{n})` (RFC 6855), FETCH
 * PREVIEW / SNIPPET (RFC 8970, Dovecot), FETCH EMAILID/THREADID and SEARCH EMAILID/THREADID
 * (RFC 8474), STATUS MAILBOXID/DELETED; REPLACE fed split at every byte gives the same result.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, feedChunks, parseOne, splitAt } from './helpers.ts';

const cmd = (line: string, utf8Accept = false): unknown => (parseOne(line, { utf8Accept }) as { command?: unknown }).command;
const err = (line: string, utf8Accept = false): unknown => {
  const e = parseOne(line, { utf8Accept }) as { kind: string; response?: string };
  return e.kind === 'error' ? e.response : e.kind;
};
const msg = (bytes: string, flags: string[] = [], internalDate: string | null = null) => ({ flags, internalDate, message: { bytes } });

test('REPLACE and UID REPLACE', () => {
  assert.equal(cmd('a REPLACE 3 Drafts (\\Draft) {5+}\r\nhello'), { name: 'REPLACE', uid: false, target: 3, mailbox: 'Drafts', message: msg('hello', ['\\Draft']) });
  assert.equal(cmd('a uid replace 42 "Sent Items" "05-Jan-2024 08:00:00 +0000" {2+}\r\nhi'), {
    name: 'REPLACE', uid: true, target: 42, mailbox: 'Sent Items', message: msg('hi', [], '2024-01-05T08:00:00.000Z'),
  });
  assert.equal(cmd('a REPLACE * INBOX {1+}\r\nx'), { name: 'REPLACE', uid: false, target: '*', mailbox: 'INBOX', message: msg('x') });
});

test('REPLACE bad input is BAD', () => {
  for (const line of [
    'a REPLACE',
    'a REPLACE 1',
    'a REPLACE 1 Drafts',
    'a REPLACE 0 Drafts {1+}\r\nx',
    'a REPLACE 1:2 Drafts {1+}\r\nx',
    'a REPLACE 1 Drafts "quoted"',
    'a REPLACE 1 Drafts {1+}\r\nx extra',
    'a UID REPLACE x Drafts {1+}\r\nx',
  ]) assert.is(err(line), 'BAD', line);
});

test('UTF8 (~{n}) only once UTF8=ACCEPT is on, and only around one literal8', () => {
  assert.equal(cmd('a APPEND Café UTF8 (~{5+}\r\nhello)', true), { name: 'APPEND', mailbox: 'Café', messages: [msg('hello')] });
  assert.equal(cmd('a REPLACE 1 Café UTF8 (~{2+}\r\nhi)', true), { name: 'REPLACE', uid: false, target: 1, mailbox: 'Café', message: msg('hi') });
  assert.is(err('a APPEND INBOX UTF8 (~{5+}\r\nhello)'), 'BAD');
  assert.is(err('a APPEND INBOX UTF8 ({5+}\r\nhello)', true), 'BAD');
  assert.is(err('a APPEND INBOX UTF8 (~{1+}\r\nx ~{1+}\r\ny)', true), 'BAD');
  assert.is(err('a APPEND INBOX UTF8 ()', true), 'BAD');
});

test('FETCH PREVIEW, SNIPPET, EMAILID, THREADID', () => {
  const attrs = (line: string) => (cmd(line) as { attributes: unknown }).attributes;
  assert.equal(attrs('a FETCH 1 PREVIEW'), [{ type: 'PREVIEW', item: 'PREVIEW', fuzzy: false }]);
  assert.equal(attrs('a FETCH 1 PREVIEW (LAZY)'), [{ type: 'PREVIEW', item: 'PREVIEW', fuzzy: false }]);
  assert.equal(attrs('a FETCH 1 (preview (lazy) UID)'), [{ type: 'PREVIEW', item: 'PREVIEW', fuzzy: false }, { type: 'UID' }]);
  assert.equal(attrs('a FETCH 1 (SNIPPET (FUZZY) PREVIEW (FUZZY))'), [
    { type: 'PREVIEW', item: 'SNIPPET', fuzzy: true },
    { type: 'PREVIEW', item: 'PREVIEW', fuzzy: true },
  ]);
  assert.equal(attrs('a FETCH 1 SNIPPET'), [{ type: 'PREVIEW', item: 'SNIPPET', fuzzy: true }]);
  assert.equal(attrs('a FETCH 1 (EMAILID THREADID)'), [{ type: 'EMAILID' }, { type: 'THREADID' }]);
  // A list after a bare PREVIEW that is not preview modifiers stays fetch modifiers.
  assert.equal((cmd('a FETCH 1 PREVIEW (CHANGEDSINCE 5)') as { changedSince: unknown }).changedSince, 5);
  for (const line of ['a FETCH 1 (PREVIEW ())', 'a FETCH 1 (PREVIEW (LAZY FUZZY))', 'a FETCH 1 (SNIPPET (LAZY))', 'a FETCH 1 (PREVIEW ("LAZY"))']) {
    assert.is(err(line), 'BAD', line);
  }
});

test('SEARCH EMAILID/THREADID and STATUS MAILBOXID/DELETED', () => {
  assert.equal((cmd('a SEARCH EMAILID M6d99ac3275bb4e') as { criteria: unknown }).criteria, { type: 'emailid', id: 'M6d99ac3275bb4e' });
  assert.equal((cmd('a SEARCH THREADID T_1-2') as { criteria: unknown }).criteria, { type: 'threadid', id: 'T_1-2' });
  assert.is(err('a SEARCH EMAILID "a b"'), 'BAD');
  assert.is(err(`a SEARCH EMAILID ${'x'.repeat(256)}`), 'BAD');
  assert.equal(cmd('a STATUS INBOX (MAILBOXID DELETED)'), { name: 'STATUS', mailbox: 'INBOX', items: ['MAILBOXID', 'DELETED'] });
});

test('REPLACE split at every byte parses the same', () => {
  const input = Buffer.from('a REPLACE 2 Drafts (\\Seen) {11+}\r\nhello world\r\n');
  const whole = feed(input);
  for (let i = 1; i < input.length; i++) assert.equal(feedChunks(splitAt(input, [i])), whole, `split at ${i}`);
});

test.run();
