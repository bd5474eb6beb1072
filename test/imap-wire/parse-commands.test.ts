/**
 * Every command of commands.ts, table-driven: a client line in, the typed command out (as JSON).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, parseOne } from './helpers.ts';

const all = (start: number | '*', end: number | '*' = start) => ({ start, end });

const cases: Array<[string, unknown]> = [
  // any state
  ['a CAPABILITY', { name: 'CAPABILITY' }],
  ['a noop', { name: 'NOOP' }],
  ['a LOGOUT', { name: 'LOGOUT' }],
  ['a ID NIL', { name: 'ID', params: null }],
  ['a ID ("name" "imapflow" "version" NIL)', { name: 'ID', params: { name: 'imapflow', version: null } }],
  ['a ID ()', { name: 'ID', params: {} }],
  ['a ID (name Mutt os NIL)', { name: 'ID', params: { name: 'Mutt', os: null } }],
  // not authenticated
  ['a STARTTLS', { name: 'STARTTLS' }],
  ['a LOGIN bob secret', { name: 'LOGIN', user: 'bob', password: 'secret' }],
  ['a LOGIN "bob@example.com" "p a\\"s\\\\s"', { name: 'LOGIN', user: 'bob@example.com', password: 'p a"s\\s' }],
  ['a LOGIN bob p]w', { name: 'LOGIN', user: 'bob', password: 'p]w' }],
  ['a AUTHENTICATE plain', { name: 'AUTHENTICATE', mechanism: 'PLAIN', initial: null }],
  ['a AUTHENTICATE PLAIN AGJvYgBzZWNyZXQ=', { name: 'AUTHENTICATE', mechanism: 'PLAIN', initial: 'AGJvYgBzZWNyZXQ=' }],
  ['a AUTHENTICATE PLAIN =', { name: 'AUTHENTICATE', mechanism: 'PLAIN', initial: '=' }],
  // authenticated
  ['a ENABLE condstore utf8=accept', { name: 'ENABLE', capabilities: ['CONDSTORE', 'UTF8=ACCEPT'] }],
  ['a SELECT inbox', { name: 'SELECT', mailbox: 'INBOX', condstore: false }],
  ['a SELECT "InBox"', { name: 'SELECT', mailbox: 'INBOX', condstore: false }],
  ['a SELECT INBOX/Sub', { name: 'SELECT', mailbox: 'INBOX/Sub', condstore: false }],
  ['a SELECT Archive (CONDSTORE)', { name: 'SELECT', mailbox: 'Archive', condstore: true }],
  ['a EXAMINE "Sent Items"', { name: 'EXAMINE', mailbox: 'Sent Items', condstore: false }],
  ['a SELECT Entw&APw-rfe', { name: 'SELECT', mailbox: 'Entwürfe', condstore: false }],
  ['a SELECT "a&-b"', { name: 'SELECT', mailbox: 'a&b', condstore: false }],
  ['a CREATE Foo/Bar', { name: 'CREATE', mailbox: 'Foo/Bar', specialUse: [] }],
  ['a CREATE Drafts2 (USE (\\Drafts \\Sent))', { name: 'CREATE', mailbox: 'Drafts2', specialUse: ['\\Drafts', '\\Sent'] }],
  ['a DELETE Foo', { name: 'DELETE', mailbox: 'Foo' }],
  ['a RENAME Foo "Bar Baz"', { name: 'RENAME', from: 'Foo', to: 'Bar Baz' }],
  ['a SUBSCRIBE Foo', { name: 'SUBSCRIBE', mailbox: 'Foo' }],
  ['a UNSUBSCRIBE Foo', { name: 'UNSUBSCRIBE', mailbox: 'Foo' }],
  [
    'a LIST "" *',
    { name: 'LIST', reference: '', patterns: ['*'], selection: [], return: [], returnStatus: null },
  ],
  [
    'a LIST "" ""',
    { name: 'LIST', reference: '', patterns: [''], selection: [], return: [], returnStatus: null },
  ],
  [
    'a LIST Foo/ %/&APw-*',
    { name: 'LIST', reference: 'Foo/', patterns: ['%/ü*'], selection: [], return: [], returnStatus: null },
  ],
  [
    'a LIST (SUBSCRIBED RECURSIVEMATCH) "" (INBOX* "Sent*") RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))',
    {
      name: 'LIST',
      reference: '',
      patterns: ['INBOX*', 'Sent*'],
      selection: ['SUBSCRIBED', 'RECURSIVEMATCH'],
      return: ['CHILDREN', 'SPECIAL-USE'],
      returnStatus: { items: ['MESSAGES', 'UNSEEN'] },
    },
  ],
  [
    'a LIST (SPECIAL-USE) "" * RETURN (SUBSCRIBED)',
    { name: 'LIST', reference: '', patterns: ['*'], selection: ['SPECIAL-USE'], return: ['SUBSCRIBED'], returnStatus: null },
  ],
  [
    'a LIST () "" % RETURN ()',
    { name: 'LIST', reference: '', patterns: ['%'], selection: [], return: [], returnStatus: null },
  ],
  ['a LSUB "" *', { name: 'LSUB', reference: '', pattern: '*' }],
  ['a NAMESPACE', { name: 'NAMESPACE' }],
  [
    'a STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN SIZE HIGHESTMODSEQ)',
    { name: 'STATUS', mailbox: 'INBOX', items: ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'SIZE', 'HIGHESTMODSEQ'] },
  ],
  ['a status foo (uidnext)', { name: 'STATUS', mailbox: 'foo', items: ['UIDNEXT'] }],
  ['a IDLE', { name: 'IDLE' }],
  // selected
  ['a CHECK', { name: 'CHECK' }],
  ['a CLOSE', { name: 'CLOSE' }],
  ['a UNSELECT', { name: 'UNSELECT' }],
  ['a EXPUNGE', { name: 'EXPUNGE' }],
  ['a UID EXPUNGE 3:5,9', { name: 'UID EXPUNGE', set: [all(3, 5), all(9)] }],
  ['a COPY 1:* Trash', { name: 'COPY', uid: false, set: [all(1, '*')], mailbox: 'Trash' }],
  ['a UID COPY 5:2 "Trash"', { name: 'COPY', uid: true, set: [all(5, 2)], mailbox: 'Trash' }],
  ['a MOVE 2 Archive', { name: 'MOVE', uid: false, set: [all(2)], mailbox: 'Archive' }],
  ['a uid move *:4 inbox', { name: 'MOVE', uid: true, set: [all('*', 4)], mailbox: 'INBOX' }],
  // STORE
  [
    'a STORE 1 +FLAGS (\\Seen $Label1)',
    { name: 'STORE', uid: false, set: [all(1)], operation: 'add', silent: false, flags: ['\\Seen', '$Label1'], unchangedSince: null },
  ],
  [
    'a STORE 1:3 -flags.silent \\deleted',
    { name: 'STORE', uid: false, set: [all(1, 3)], operation: 'remove', silent: true, flags: ['\\Deleted'], unchangedSince: null },
  ],
  [
    'a UID STORE 7 FLAGS ()',
    { name: 'STORE', uid: true, set: [all(7)], operation: 'replace', silent: false, flags: [], unchangedSince: null },
  ],
  [
    'a STORE 2 (UNCHANGEDSINCE 320162338) FLAGS.SILENT (\\Flagged \\Answered)',
    { name: 'STORE', uid: false, set: [all(2)], operation: 'replace', silent: true, flags: ['\\Flagged', '\\Answered'], unchangedSince: 320162338 },
  ],
  [
    'a STORE 4 +FLAGS \\Seen \\Draft',
    { name: 'STORE', uid: false, set: [all(4)], operation: 'add', silent: false, flags: ['\\Seen', '\\Draft'], unchangedSince: null },
  ],
];

for (const [line, command] of cases) {
  test(`parse ${line}`, () => {
    const tag = line.split(' ')[0];
    assert.equal(parseOne(line), { kind: 'request', tag, command });
  });
}

test('tags may hold any ASTRING-CHAR but +', () => {
  assert.equal(parseOne('A.1]x NOOP'), { kind: 'request', tag: 'A.1]x', command: { name: 'NOOP' } });
});

test('LOGIN with literals', () => {
  // The continuation event comes first, then the request.
  const events = feed('a LOGIN {3}\r\nbob {6}\r\nsecret\r\n');
  assert.equal(events, [
    { kind: 'need-continuation' },
    { kind: 'need-continuation' },
    { kind: 'request', tag: 'a', command: { name: 'LOGIN', user: 'bob', password: 'secret' } },
  ]);
});

test.run();
