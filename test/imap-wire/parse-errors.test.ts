/**
 * Bad client input: every case answers with the exact BAD/NO the session will send, and the
 * receiver goes on with the next command.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, makeReceiver, parseOne } from './helpers.ts';

const BAD = (tag: string | null, text: string) => ({ kind: 'error', tag, response: 'BAD', code: null, text, fatal: false });

const cases: Array<[string, string | null, string]> = [
  // tags and command names
  [' NOOP', null, 'Missing tag'],
  ['+a NOOP', null, 'Invalid tag'],
  ['a*b NOOP', null, 'Invalid tag'],
  ['a', 'a', 'Missing command'],
  ['a ', 'a', 'Missing command'],
  ['a BOGUS', 'a', 'Unknown command'],
  ['a "NOOP"', 'a', 'Unknown command'],
  ['a UID', 'a', 'Missing command after UID'],
  ['a UID LOGIN x y', 'a', 'Unknown command UID LOGIN'],
  ['a NOOP extra', 'a', 'Unexpected extra arguments'],
  ['a CAPABILITY ()', 'a', 'Unexpected extra arguments'],
  // missing and wrong arguments
  ['a LOGIN', 'a', 'Missing user name'],
  ['a LOGIN bob', 'a', 'Missing password'],
  ['a LOGIN (bob) pw', 'a', 'Invalid user name: expected a string'],
  ['a AUTHENTICATE', 'a', 'Missing SASL mechanism'],
  ['a AUTHENTICATE PLAIN ab$c', 'a', 'Invalid initial response: not base64'],
  ['a ENABLE', 'a', 'Missing capability to enable'],
  ['a ID', 'a', 'Missing ID parameters'],
  ['a ID ("a")', 'a', 'Missing ID field value'],
  ['a ID ((a) b)', 'a', 'Invalid ID field name: expected a string'],
  ['a ID (' + '"k" "v" '.repeat(31) + ')', 'a', 'Too many ID fields'],
  ['a SELECT', 'a', 'Missing mailbox name'],
  ['a SELECT x (QRESYNC (1 0))', 'a', 'Invalid QRESYNC mod-sequence: must not be 0'],
  ['a SELECT x (QRESYNC (0 5))', 'a', 'Invalid QRESYNC uidvalidity: must not be 0'],
  ['a SELECT x (QRESYNC (1 abc))', 'a', 'Invalid QRESYNC mod-sequence: expected a number'],
  ['a SELECT x (QRESYNC)', 'a', 'Missing QRESYNC parameters'],
  ['a SELECT x (QRESYNC (1 5 1:3 (1:2 1:3)))', 'a', 'QRESYNC sequence match sets differ in size'],
  ['a SELECT x (QRESYNC (1 5 1:3 (1:2 1:2) extra))', 'a', 'Unexpected extra arguments'],
  ['a SELECT x (QRESYNC (1 5) QRESYNC (1 5))', 'a', 'Unsupported SELECT parameter QRESYNC'],
  ['a SELECT x y', 'a', 'Invalid SELECT parameters: expected a parenthesized list'],
  ['a CREATE x (FOO)', 'a', 'Unsupported CREATE parameter FOO'],
  ['a CREATE x (USE (Drafts))', 'a', 'Invalid special-use attribute Drafts'],
  ['a RENAME x', 'a', 'Missing new mailbox name'],
  ['a LIST ""', 'a', 'Missing mailbox pattern'],
  ['a LIST (BOGUS) "" *', 'a', 'Unknown LIST selection option BOGUS'],
  ['a LIST (RECURSIVEMATCH) "" *', 'a', 'RECURSIVEMATCH needs another selection option'],
  ['a LIST "" * RETURN (BOGUS)', 'a', 'Unknown LIST return option BOGUS'],
  ['a LIST "" * FOO (CHILDREN)', 'a', 'Expected RETURN'],
  ['a LIST "" ()', 'a', 'Empty mailbox pattern list'],
  ['a STATUS x', 'a', 'Missing STATUS items'],
  ['a STATUS x ()', 'a', 'Empty STATUS item list'],
  ['a STATUS x (MESSAGES BOGUS)', 'a', 'Unknown STATUS item BOGUS'],
  ['a STORE 1 FLAGS', 'a', 'Missing flags'],
  ['a STORE 1 XFLAGS (\\Seen)', 'a', 'Invalid STORE data item XFLAGS'],
  ['a STORE 1 +FLAGS (\\Seen) x', 'a', 'Unexpected extra arguments'],
  ['a STORE 1 (UNCHANGEDSINCE x) FLAGS ()', 'a', 'Invalid UNCHANGEDSINCE value: expected a number'],
  ['a STORE 1 +FLAGS (foo%)', 'a', 'Invalid flag: foo%'],
  ['a COPY 1', 'a', 'Missing mailbox name'],
  ['a MOVE', 'a', 'Missing sequence set'],
  ['a UID EXPUNGE', 'a', 'Missing UID set'],
  // sequence sets
  ['a FETCH 0 FLAGS', 'a', 'Invalid sequence set: 0 is out of range'],
  ['a FETCH -1 FLAGS', 'a', 'Invalid sequence set: "-1"'],
  ['a FETCH 1:-3 FLAGS', 'a', 'Invalid sequence set: "-3"'],
  ['a FETCH 1:: FLAGS', 'a', 'Invalid sequence set: ":"'],
  ['a FETCH 1, FLAGS', 'a', 'Invalid sequence set: ""'],
  ['a FETCH abc FLAGS', 'a', 'Invalid sequence set: "abc"'],
  ['a FETCH 99999999999 FLAGS', 'a', 'Invalid sequence set: "99999999999"'],
  ['a FETCH 1,$ FLAGS', 'a', 'Invalid sequence set: $ must stand alone'],
  ['a FETCH "1" FLAGS', 'a', 'Invalid sequence set: expected an atom'],
  // lexical
  ['a LOGIN "bob pw', 'a', 'Unterminated quoted string'],
  ['a LOGIN "b\\ob" pw', 'a', 'Invalid escape in quoted string'],
  ['a LOGIN {3} pw', 'a', 'Literal must end the line'],
  ['a FETCH 1 (FLAGS', 'a', 'Missing ")"'],
  ['a FETCH 1 FLAGS)', 'a', 'Unexpected ")"'],
  ['a FETCH 1 ((FLAGS)', 'a', 'Missing ")"'],
  ['a LOGIN bob p\x01w', 'a', 'Invalid character in command'],
  // mailbox names
  ['a SELECT &Jjo', 'a', 'Invalid mailbox name: bad modified UTF-7'],
  ['a SELECT &AGE-', 'a', 'Invalid mailbox name: bad modified UTF-7'],
  ['a RENAME x "&Jjo!-"', 'a', 'Invalid new mailbox name: bad modified UTF-7'],
  ['a LIST "" &', 'a', 'Invalid mailbox pattern: bad modified UTF-7'],
];

for (const [line, tag, text] of cases) {
  test(`bad ${JSON.stringify(line).slice(0, 60)}`, () => {
    assert.equal(parseOne(line), BAD(tag, text));
  });
}

test('an error does not disturb the next command', () => {
  assert.equal(feed('a FETCH 1 (FLAGS\r\nb NOOP\r\n'), [BAD('a', 'Missing ")"'), { kind: 'request', tag: 'b', command: { name: 'NOOP' } }]);
});

test('nesting deeper than imapNestingDepth is BAD', () => {
  const opts = { limits: { imapNestingDepth: 3 } };
  assert.equal(parseOne('a SEARCH (((SEEN)))', opts), {
    kind: 'request',
    tag: 'a',
    command: { name: 'SEARCH', uid: false, charset: null, criteria: { type: 'flag', flag: '\\Seen', set: true }, returnOptions: null },
  });
  assert.equal(parseOne('a SEARCH ((((SEEN))))', opts), BAD('a', 'Too deep nesting of parentheses'));
  // Default depth: a few thousand parentheses never reach a recursion problem.
  assert.equal(parseOne('a SEARCH ' + '('.repeat(5000) + 'SEEN' + ')'.repeat(5000)), BAD('a', 'Too deep nesting of parentheses'));
});

test('quoted strings: valid UTF-8 accepted, broken UTF-8 refused', () => {
  const ok = feed(Buffer.from('a LOGIN "j\xc3\xb6rg" pw\r\n', 'latin1'));
  assert.equal(ok, [{ kind: 'request', tag: 'a', command: { name: 'LOGIN', user: 'jörg', password: 'pw' } }]);
  for (const broken of ['\xff', '\xc3', '\xc3(', '\xe2\x82', '\xed\xa0\x80' /* surrogate */, '\xc0\xaf' /* overlong */]) {
    const events = feed(Buffer.from(`a LOGIN "x${broken}" pw\r\nb NOOP\r\n`, 'latin1'));
    assert.equal(events, [BAD('a', 'Invalid UTF-8 in quoted string'), { kind: 'request', tag: 'b', command: { name: 'NOOP' } }], JSON.stringify(broken));
  }
});

test('8-bit atoms need UTF8=ACCEPT; then mailbox names are UTF-8, not modified UTF-7', () => {
  const line = Buffer.from('a SELECT Entw\xc3\xbcrfe\r\n', 'latin1');
  assert.equal(feed(line), [BAD('a', '8-bit character in atom')]);
  assert.equal(feed(line, { utf8Accept: true }), [
    { kind: 'request', tag: 'a', command: { name: 'SELECT', mailbox: 'Entwürfe', condstore: false } },
  ]);
  assert.equal(parseOne('a SELECT "a&b"', { utf8Accept: true }), {
    kind: 'request',
    tag: 'a',
    command: { name: 'SELECT', mailbox: 'a&b', condstore: false },
  });
  assert.equal(feed(Buffer.from('a SELECT \xc3\r\n', 'latin1'), { utf8Accept: true }), [BAD('a', 'Invalid UTF-8 in atom')]);
});

test('ID field named __proto__ is plain data', () => {
  const r = makeReceiver();
  r.push(Buffer.from('a ID ("__proto__" "x" "name" "y")\r\n'));
  const e = r.next() as any;
  assert.is(Object.getPrototypeOf(e.command.params), null);
  assert.is(e.command.params['__proto__'], 'x');
  assert.is(e.command.params.name, 'y');
});

test.run();
