/**
 * SEARCH / UID SEARCH into SearchKey trees: every RFC 3501 key, the extensions, charsets,
 * RETURN options, and the errors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, parseOne } from './helpers.ts';

function criteriaOf(args: string): unknown {
  const e = parseOne(`a SEARCH ${args}`) as any;
  assert.is(e.kind, 'request', JSON.stringify(e));
  return e.command.criteria;
}

const flag = (f: string, set = true) => ({ type: 'flag', flag: f, set });
const header = (name: string, value: string) => ({ type: 'header', name, value });
const date = (field: string, op: string, d: string) => ({ type: 'date', field, op, date: d });

const keys: Array<[string, unknown]> = [
  ['ALL', { type: 'all' }],
  ['ANSWERED', flag('\\Answered')],
  ['DELETED', flag('\\Deleted')],
  ['DRAFT', flag('\\Draft')],
  ['FLAGGED', flag('\\Flagged')],
  ['SEEN', flag('\\Seen')],
  ['UNANSWERED', flag('\\Answered', false)],
  ['UNDELETED', flag('\\Deleted', false)],
  ['UNDRAFT', flag('\\Draft', false)],
  ['UNFLAGGED', flag('\\Flagged', false)],
  ['unseen', flag('\\Seen', false)],
  ['KEYWORD $Forwarded', flag('$Forwarded')],
  ['UNKEYWORD Junk', flag('Junk', false)],
  ['RECENT', { type: 'recent', set: true }],
  ['NEW', { type: 'new' }],
  ['OLD', { type: 'old' }],
  ['BCC bob', header('Bcc', 'bob')],
  ['CC "Bob Smith"', header('Cc', 'Bob Smith')],
  ['FROM alice', header('From', 'alice')],
  ['TO {3}\r\nxyz', header('To', 'xyz')],
  ['SUBJECT ""', header('Subject', '')],
  ['HEADER X-Mailer ""', header('X-Mailer', '')],
  ['HEADER "Message-ID" "<abc@d>"', header('Message-ID', '<abc@d>')],
  ['BODY hello', { type: 'body', value: 'hello' }],
  ['TEXT "two words"', { type: 'text', value: 'two words' }],
  ['BEFORE 1-Feb-1994', date('internal', 'before', '1994-02-01')],
  ['ON "15-mar-2021"', date('internal', 'on', '2021-03-15')],
  ['SINCE 29-Feb-2024', date('internal', 'since', '2024-02-29')],
  ['SENTBEFORE 31-Dec-1999', date('sent', 'before', '1999-12-31')],
  ['SENTON 01-Jan-2000', date('sent', 'on', '2000-01-01')],
  ['SENTSINCE 2-Jul-2010', date('sent', 'since', '2010-07-02')],
  ['SAVEDBEFORE 3-Aug-2020', date('save', 'before', '2020-08-03')],
  ['SAVEDON 3-Aug-2020', date('save', 'on', '2020-08-03')],
  ['SAVEDSINCE 3-Aug-2020', date('save', 'since', '2020-08-03')],
  ['SAVEDATESUPPORTED', { type: 'all' }],
  ['LARGER 1000', { type: 'size', op: 'larger', bytes: 1000 }],
  ['SMALLER 0', { type: 'size', op: 'smaller', bytes: 0 }],
  ['YOUNGER 3600', { type: 'within', op: 'younger', seconds: 3600 }],
  ['OLDER 86400', { type: 'within', op: 'older', seconds: 86400 }],
  ['MODSEQ 620162338', { type: 'modseq', modseq: 620162338 }],
  ['MODSEQ "/flags/\\\\draft" all 620162338', { type: 'modseq', modseq: 620162338 }],
  ['1:3,5', { type: 'seq', set: [{ start: 1, end: 3 }, { start: 5, end: 5 }] }],
  ['*', { type: 'seq', set: [{ start: '*', end: '*' }] }],
  ['UID 4:*', { type: 'uid', set: [{ start: 4, end: '*' }] }],
  ['NOT SEEN', { type: 'not', key: flag('\\Seen') }],
  ['OR SEEN FLAGGED', { type: 'or', left: flag('\\Seen'), right: flag('\\Flagged') }],
  ['(SEEN)', flag('\\Seen')],
  ['(SEEN FLAGGED)', { type: 'and', keys: [flag('\\Seen'), flag('\\Flagged')] }],
  ['SEEN FLAGGED', { type: 'and', keys: [flag('\\Seen'), flag('\\Flagged')] }],
  [
    'OR (FROM a TO b) NOT (SUBJECT c OR 1 2)',
    {
      type: 'or',
      left: { type: 'and', keys: [header('From', 'a'), header('To', 'b')] },
      right: {
        type: 'not',
        key: {
          type: 'and',
          keys: [
            header('Subject', 'c'),
            { type: 'or', left: { type: 'seq', set: [{ start: 1, end: 1 }] }, right: { type: 'seq', set: [{ start: 2, end: 2 }] } },
          ],
        },
      },
    },
  ],
  ['OR OR SEEN DRAFT DELETED', { type: 'or', left: { type: 'or', left: flag('\\Seen'), right: flag('\\Draft') }, right: flag('\\Deleted') }],
];

for (const [args, expected] of keys) {
  test(`search ${args}`, () => {
    assert.equal(criteriaOf(args), expected);
  });
}

test('charset, uid and RETURN options', () => {
  const e = parseOne('a UID SEARCH RETURN (MIN max COUNT) CHARSET utf-8 TEXT "grüße"') as any;
  assert.equal(e.command, {
    name: 'SEARCH',
    uid: true,
    charset: 'UTF-8',
    criteria: { type: 'text', value: 'grüße' },
    returnOptions: ['MIN', 'MAX', 'COUNT'],
  });
  const plainSearch = parseOne('a SEARCH CHARSET US-ASCII ALL') as any;
  assert.is(plainSearch.command.charset, 'US-ASCII');
  assert.is(plainSearch.command.returnOptions, null);
  assert.equal((parseOne('a SEARCH RETURN () ALL') as any).command.returnOptions, []);
});

test('8-bit search string as a literal', () => {
  const events = feed(Buffer.from('a SEARCH CHARSET UTF-8 SUBJECT {5}\r\nk\xc3\xa4se\r\n', 'latin1')) as any[];
  assert.equal(events[1].command.criteria, header('Subject', 'käse'));
});

test('a literal that is not UTF-8 is BAD', () => {
  const events = feed(Buffer.from('a SEARCH SUBJECT {3}\r\nk\xe4s\r\n', 'latin1')) as any[];
  assert.is(events[1].text, 'Invalid SUBJECT value: not UTF-8');
});

test('unknown charset is NO [BADCHARSET]', () => {
  assert.equal(parseOne('t SEARCH CHARSET ISO-8859-1 ALL'), {
    kind: 'error',
    tag: 't',
    response: 'NO',
    code: 'BADCHARSET (UTF-8 US-ASCII)',
    text: 'Unsupported charset',
    fatal: false,
  });
});

const bad: Array<[string, string]> = [
  ['', 'Missing search criteria'],
  ['CHARSET UTF-8', 'Missing search criteria'],
  ['BOGUS', 'Unknown search key BOGUS'],
  ['FROM', 'Missing FROM value'],
  ['HEADER', 'Missing header field name'],
  ['HEADER X-A', 'Missing HEADER value'],
  ['OR SEEN', 'Missing search key'],
  ['NOT', 'Missing search key'],
  ['()', 'Empty parenthesized search key'],
  ['(SEEN', 'Missing ")"'],
  ['SEEN)', 'Unexpected ")"'],
  ['SINCE 1-Foo-2020', 'Invalid SINCE date: expected d-Mon-yyyy'],
  ['SINCE 30-Feb-2020', 'Invalid SINCE date: no such day'],
  ['BEFORE 2020-01-01', 'Invalid BEFORE date: expected d-Mon-yyyy'],
  ['ON 1-Jan-20', 'Invalid ON date: expected d-Mon-yyyy'],
  ['LARGER x', 'Invalid LARGER size: expected a number'],
  ['LARGER -1', 'Invalid LARGER size: expected a number'],
  ['YOUNGER 0', 'Invalid YOUNGER interval: must not be 0'],
  ['0', 'Invalid sequence set: 0 is out of range'],
  ['1:0', 'Invalid sequence set: 0 is out of range'],
  ['1,,2', 'Invalid sequence set: ""'],
  ['1:2x', 'Invalid sequence set: "2x"'],
  ['UID -1', 'Invalid UID set: "-1"'],
  ['UID abc', 'Invalid UID set: "abc"'],
  ['UID 4294967296', 'Invalid UID set: 4294967296 is out of range'],
  ['RETURN (BOGUS) ALL', 'Unknown RETURN option BOGUS'],
  ['MODSEQ "/flags/x" bogus 5', 'Invalid MODSEQ entry type'],
];

for (const [args, text] of bad) {
  test(`bad search ${args || '(empty)'}`, () => {
    assert.equal(parseOne(`a SEARCH ${args}`.trimEnd()), { kind: 'error', tag: 'a', response: 'BAD', code: null, text, fatal: false });
  });
}

test('NOT chains deeper than the limit are refused, not recursed', () => {
  const e = parseOne('a SEARCH ' + 'NOT '.repeat(500) + 'SEEN') as any;
  assert.equal(e, { kind: 'error', tag: 'a', response: 'BAD', code: null, text: 'Search criteria nested too deeply', fatal: false });
});

test.run();
