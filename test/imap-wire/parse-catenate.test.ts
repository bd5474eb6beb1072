/** APPEND ... CATENATE (RFC 4469 section 5): TEXT literals and URLs, with MULTIAPPEND; errors. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed } from './helpers.ts';

test('CATENATE with URL and TEXT parts, flags and date', () => {
  const events = feed('a APPEND Drafts (\\Seen) "01-Jan-2021 00:00:00 +0000" CATENATE (URL "/Drafts;UIDVALIDITY=3/;UID=20/;section=1.MIME" TEXT {2+}\r\nhi URL /INBOX/;UID=1)\r\n') as any[];
  assert.is(events.length, 1);
  const m = events[0].command.messages[0];
  assert.equal(m.flags, ['\\Seen']);
  assert.equal(m.message, { bytes: '' });
  assert.equal(m.catenate, [
    { kind: 'url', url: '/Drafts;UIDVALIDITY=3/;UID=20/;section=1.MIME' },
    { kind: 'text', data: { bytes: 'hi' } },
    { kind: 'url', url: '/INBOX/;UID=1' },
  ]);
});

test('literal8 TEXT keeps NUL; keywords in any case', () => {
  const events = feed(Buffer.from('a APPEND x catenate (text ~{3+}\r\na\x00b)\r\n', 'latin1')) as any[];
  assert.equal(events[0].command.messages[0].catenate, [{ kind: 'text', data: { bytes: 'a\x00b' } }]);
});

test('MULTIAPPEND mixing a literal and CATENATE', () => {
  const events = feed('a APPEND x {3+}\r\nabc CATENATE (URL ";UID=1") (\\Flagged) {1+}\r\nz\r\n') as any[];
  const ms = events[0].command.messages;
  assert.is(ms.length, 3);
  assert.is(ms[0].catenate, undefined);
  assert.equal(ms[1].catenate, [{ kind: 'url', url: ';UID=1' }]);
  assert.equal(ms[2].flags, ['\\Flagged']);
});

test('bad CATENATE syntax is BAD, not fatal', () => {
  const bad = [
    'a APPEND x CATENATE ()\r\n',
    'a APPEND x CATENATE\r\n',
    'a APPEND x CATENATE URL "/INBOX/;UID=1"\r\n',
    'a APPEND x CATENATE (TEXT "abc")\r\n',
    'a APPEND x CATENATE (TEXT)\r\n',
    'a APPEND x CATENATE (URL)\r\n',
    'a APPEND x CATENATE (URL "")\r\n',
    'a APPEND x CATENATE (URL (a))\r\n',
    'a APPEND x CATENATE (BODY "x")\r\n',
    'a APPEND x CATENATE (URL "/INBOX/;UID=1") extra\r\n',
    'a APPEND x CATENATE (URL "/INBOX/;UID=1" TEXT)\r\n',
  ];
  for (const line of bad) {
    const events = feed(line) as any[];
    assert.is(events.length, 1, line);
    assert.is(events[0].kind, 'error', line);
    assert.is(events[0].response, 'BAD', line);
    assert.is(events[0].fatal, false, line);
  }
});

test('RFC 6855 UTF8 part only after ENABLE UTF8=ACCEPT', () => {
  const line = 'a APPEND x CATENATE (UTF8 (~{2+}\r\nhi) URL ;UID=1)\r\n';
  const on = feed(line, { utf8Accept: true }) as any[];
  assert.equal(on[0].command.messages[0].catenate, [
    { kind: 'text', data: { bytes: 'hi' } },
    { kind: 'url', url: ';UID=1' },
  ]);
  const off = feed(line) as any[];
  assert.is(off[0].kind, 'error');
  assert.is(off[0].response, 'BAD');
  const plain = feed('a APPEND x CATENATE (UTF8 ({2+}\r\nhi))\r\n', { utf8Accept: true }) as any[];
  assert.is(plain[0].kind, 'error');
});

test('too many parts', () => {
  const parts = Array.from({ length: 1001 }, () => 'URL ;UID=1').join(' ');
  const events = feed(`a APPEND x CATENATE (${parts})\r\n`) as any[];
  assert.is(events[0].kind, 'error');
  assert.match(events[0].text, /Too many CATENATE parts/);
});

test.run();
