/**
 * APPEND: flags, date-time, literal, literal8, LITERAL+, MULTIAPPEND; and its errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed } from './helpers.ts';

const msg = 'From: a@b\r\n\r\nhi\r\n';

test('APPEND with flags, date-time and a synchronizing literal', () => {
  const events = feed(`a APPEND Sent (\\Seen $Sent) "17-Jul-1996 02:44:25 -0700" {${msg.length}}\r\n${msg}\r\n`);
  assert.equal(events, [
    { kind: 'need-continuation' },
    {
      kind: 'request',
      tag: 'a',
      command: {
        name: 'APPEND',
        mailbox: 'Sent',
        messages: [{ flags: ['\\Seen', '$Sent'], internalDate: '1996-07-17T09:44:25.000Z', message: { bytes: msg } }],
      },
    },
  ]);
});

test('APPEND with only a literal, LITERAL+ form', () => {
  const events = feed(`a APPEND inbox {${msg.length}+}\r\n${msg}\r\n`);
  assert.equal(events, [
    {
      kind: 'request',
      tag: 'a',
      command: { name: 'APPEND', mailbox: 'INBOX', messages: [{ flags: [], internalDate: null, message: { bytes: msg } }] },
    },
  ]);
});

test('space-padded day in the date-time', () => {
  const events = feed(`a APPEND x " 1-Jan-2021 00:00:00 +0000" {2+}\r\nhi\r\n`) as any[];
  assert.is(events[0].command.messages[0].internalDate, '2021-01-01T00:00:00.000Z');
});

test('literal8 keeps NUL bytes; a plain literal may not hold them', () => {
  const ok = feed(Buffer.from('a APPEND x ~{3+}\r\na\x00b\r\n', 'latin1')) as any[];
  assert.equal(ok[0].command.messages[0].message, { bytes: 'a\x00b' });
  const bad = feed(Buffer.from('a APPEND x {3+}\r\na\x00b\r\n', 'latin1')) as any[];
  assert.equal(bad, [{ kind: 'error', tag: 'a', response: 'BAD', code: null, text: 'NUL in literal', fatal: false }]);
});

test('MULTIAPPEND: several messages in one command', () => {
  const events = feed('a APPEND x (\\Draft) {2+}\r\nm1 "01-Feb-2020 10:00:00 +0100" {2+}\r\nm2 {2+}\r\nm3\r\n') as any[];
  assert.equal(
    events[0].command.messages.map((m: any) => [m.flags, m.internalDate, m.message.bytes]),
    [
      [['\\Draft'], null, 'm1'],
      [[], '2020-02-01T09:00:00.000Z', 'm2'],
      [[], null, 'm3'],
    ],
  );
});

const bad: Array<[string, string]> = [
  ['a APPEND', 'Missing mailbox name'],
  ['a APPEND x', 'Missing message literal'],
  ['a APPEND x (\\Seen)', 'Missing message literal'],
  ['a APPEND x "hello"', 'Invalid date-time: expected "dd-Mon-yyyy hh:mm:ss +zzzz"'],
  ['a APPEND x "31-Apr-2020 10:00:00 +0000" {1+}\r\nx', 'Invalid date-time: out of range'],
  ['a APPEND x "01-Apr-2020 24:00:00 +0000" {1+}\r\nx', 'Invalid date-time: out of range'],
  ['a APPEND x 17-Jul-1996 {1+}\r\nx', 'Invalid message: expected a literal'],
  ['a APPEND x (\\Seen {1+}\r\nx', 'Missing ")"'],
  ['a APPEND x (a "b") {1+}\r\nx', 'Invalid flag: expected an atom'],
  ['a APPEND x (\\) {1+}\r\nx', 'Invalid flag: \\'],
];

for (const [line, text] of bad) {
  test(`bad ${JSON.stringify(line)}`, () => {
    assert.equal(feed(line + '\r\n'), [{ kind: 'error', tag: 'a', response: 'BAD', code: null, text, fatal: false }]);
  });
}

test.run();
