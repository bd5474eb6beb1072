/** Address lists for ENVELOPE; the hard cases were checked against Dovecot 2.3. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envelope } from '../../core/mail/envelope.ts';
import { parseMime } from '../../core/mail/mime-parser.ts';
import { imapText } from './helpers.ts';

function env(header: string): string {
  return imapText(envelope(parseMime(Buffer.from(header + '\r\n\r\nbody\r\n'))));
}

/** The ENVELOPE member for one address header (To: is member 6). */
function to(value: string): string {
  const all = envelope(parseMime(Buffer.from(`To: ${value}\r\n\r\n`))) as unknown[];
  return imapText(all[5] as never);
}

test('display names: quoted, multi-word, encoded words left encoded', () => {
  assert.is(to('"Last, First" <lf@x.test> (cmt)'), '(("Last, First" NIL "lf" "x.test"))');
  assert.is(to('John   Q.  Public <jqp@x.test>'), '(("John Q. Public" NIL "jqp" "x.test"))');
  assert.is(to('=?utf-8?q?J=C3=B6rg?= <j@x.test>'), '(("=?utf-8?q?J=C3=B6rg?=" NIL "j" "x.test"))');
  assert.is(to('"" <e@x.test>'), '((NIL NIL "e" "x.test"))');
  assert.is(to('"a \\"b\\" c" <e@x.test>'), '(("a \\"b\\" c" NIL "e" "x.test"))');
});

test('a comment after a bare addr-spec is the name', () => {
  assert.is(to('old@example.com (Old Style)'), '(("Old Style" NIL "old" "example.com"))');
});

test('source routes, quoted local parts, domain literals', () => {
  assert.is(to('<@route1,@route2:user@host>'), '((NIL "@route1,@route2" "user" "host"))');
  assert.is(to('"quoted local"@example.com'), '((NIL NIL "quoted local" "example.com"))');
  assert.is(to('user@[127.0.0.1]'), '((NIL NIL "user" "[127.0.0.1]"))');
});

test('groups: start and end markers, empty groups, several groups', () => {
  assert.is(to('undisclosed-recipients:;'), '((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL))');
  assert.is(
    to('Group: ;, Other: x@y;, z@w'),
    '((NIL NIL "Group" NIL)(NIL NIL NIL NIL)(NIL NIL "Other" NIL)(NIL NIL "x" "y")(NIL NIL NIL NIL)(NIL NIL "z" "w"))',
  );
  assert.is(to('Unclosed: a@b, c@d'), '((NIL NIL "Unclosed" NIL)(NIL NIL "a" "b")(NIL NIL "c" "d")(NIL NIL NIL NIL))');
});

test('broken addresses are filled in as Dovecot does', () => {
  assert.is(to('<>'), '((NIL NIL "MISSING_MAILBOX" "MISSING_DOMAIN"))');
  assert.is(to('foo, @bar'), '((NIL NIL "foo" "MISSING_DOMAIN")(NIL NIL "MISSING_MAILBOX" "bar"))');
  assert.is(to(''), 'NIL');
  assert.is(to('(only a comment)'), 'NIL');
  assert.is(to(',,,'), 'NIL');
  // Junk after the domain (here a stray folded line) is dropped.
  assert.is(to('a@b.test\r\n filename*=x'), '((NIL NIL "a" "b.test"))');
});

test('NIL vs empty string: absent fields NIL, empty ones ""', () => {
  assert.is(env('From: a@b'), '(NIL NIL ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) NIL NIL NIL NIL NIL)');
  assert.is(env('Subject:\r\nIn-Reply-To: \r\nDate:'), '("" "" NIL NIL NIL NIL NIL NIL "" NIL)');
});

test('Sender and Reply-To default to From when absent or empty', () => {
  assert.is(
    env('From: a@b\r\nSender:\r\nReply-To: r@s'),
    '(NIL NIL ((NIL NIL "a" "b")) ((NIL NIL "a" "b")) ((NIL NIL "r" "s")) NIL NIL NIL NIL NIL)',
  );
});

test('folded values are unfolded (CRLF removed, whitespace kept)', () => {
  assert.is(
    env('Subject: multi\r\n  line\r\nTo: a@b,\r\n c@d'),
    '(NIL "multi  line" NIL NIL NIL ((NIL NIL "a" "b")(NIL NIL "c" "d")) NIL NIL NIL NIL)',
  );
});

test.run();
