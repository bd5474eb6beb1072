/**
 * FETCH / UID FETCH: attributes, macros, sections, partials, CHANGEDSINCE.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOne } from './helpers.ts';

function fetchOf(line: string): any {
  const e = parseOne(line) as any;
  assert.is(e.kind, 'request', JSON.stringify(e));
  return e.command;
}

const body = (label: string, section: unknown, peek = false, partial: unknown = null) => ({
  type: 'BODY[]',
  peek,
  section,
  partial,
  label,
});

const cases: Array<[string, unknown[]]> = [
  ['a FETCH 1 FAST', [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }]],
  ['a FETCH 1 all', [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }]],
  [
    'a FETCH 1 FULL',
    [{ type: 'FLAGS' }, { type: 'INTERNALDATE' }, { type: 'RFC822.SIZE' }, { type: 'ENVELOPE' }, { type: 'BODY' }],
  ],
  ['a FETCH 1 flags', [{ type: 'FLAGS' }]],
  [
    'a FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY BODYSTRUCTURE RFC822 RFC822.HEADER RFC822.TEXT MODSEQ)',
    ['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT', 'MODSEQ'].map(
      (type) => ({ type }),
    ),
  ],
  ['a FETCH 1 BODY[]', [body('', { part: [], kind: '' })]],
  ['a FETCH 1 body.peek[]', [body('', { part: [], kind: '' }, true)]],
  ['a FETCH 1 (BODY[TEXT])', [body('TEXT', { part: [], kind: 'TEXT' })]],
  ['a FETCH 1 (BODY.PEEK[header])', [body('HEADER', { part: [], kind: 'HEADER' }, true)]],
  ['a FETCH 1 (BODY[1])', [body('1', { part: [1], kind: '' })]],
  ['a FETCH 1 (BODY[1.2.3])', [body('1.2.3', { part: [1, 2, 3], kind: '' })]],
  ['a FETCH 1 (BODY[2.MIME])', [body('2.MIME', { part: [2], kind: 'MIME' })]],
  ['a FETCH 1 (BODY[3.1.HEADER])', [body('3.1.HEADER', { part: [3, 1], kind: 'HEADER' })]],
  ['a FETCH 1 (BODY[4.TEXT])', [body('4.TEXT', { part: [4], kind: 'TEXT' })]],
  [
    'a FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To Message-ID)])',
    [body('HEADER.FIELDS (From To Message-ID)', { part: [], kind: 'HEADER.FIELDS', fields: ['From', 'To', 'Message-ID'] }, true)],
  ],
  [
    'a FETCH 1 (BODY[header.fields.not ("Subject" X-Spam)])',
    [body('HEADER.FIELDS.NOT (Subject X-Spam)', { part: [], kind: 'HEADER.FIELDS.NOT', fields: ['Subject', 'X-Spam'] })],
  ],
  [
    'a FETCH 1 (BODY[1.HEADER.FIELDS (Date)])',
    [body('1.HEADER.FIELDS (Date)', { part: [1], kind: 'HEADER.FIELDS', fields: ['Date'] })],
  ],
  ['a FETCH 1 (BODY[]<0.2048>)', [body('', { part: [], kind: '' }, false, { start: 0, length: 2048 })]],
  ['a FETCH 1 (BODY.PEEK[1.TEXT]<100.5>)', [body('1.TEXT', { part: [1], kind: 'TEXT' }, true, { start: 100, length: 5 })]],
  [
    'a FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (From)]<0.100> UID)',
    [{ type: 'FLAGS' }, body('HEADER.FIELDS (From)', { part: [], kind: 'HEADER.FIELDS', fields: ['From'] }, true, { start: 0, length: 100 }), { type: 'UID' }],
  ],
];

for (const [line, attributes] of cases) {
  test(`fetch ${line}`, () => {
    assert.equal(fetchOf(line).attributes, attributes);
  });
}

test('sequence set, uid flag and CHANGEDSINCE', () => {
  assert.equal(fetchOf('a UID FETCH 1:4,7,9:* (FLAGS) (CHANGEDSINCE 12345)'), {
    name: 'FETCH',
    uid: true,
    set: [
      { start: 1, end: 4 },
      { start: 7, end: 7 },
      { start: 9, end: '*' },
    ],
    attributes: [{ type: 'FLAGS' }],
    changedSince: 12345,
  });
  assert.is(fetchOf('a FETCH * FLAGS').changedSince, null);
  assert.is(fetchOf('a FETCH * FLAGS').uid, false);
});

test('header field names may come as a literal', () => {
  const cmd = fetchOf('a FETCH 1 (BODY[HEADER.FIELDS ({4}\r\nFrom)])');
  assert.equal(cmd.attributes[0].section.fields, ['From']);
});

const bad: Array<[string, string]> = [
  ['a FETCH 1', 'Missing fetch attributes'],
  ['a FETCH 1 ()', 'Empty fetch attribute list'],
  ['a FETCH 1 (FLAGS BOGUS)', 'Unknown fetch attribute BOGUS'],
  ['a FETCH 1 (ALL)', 'ALL is a macro and cannot be used in a list'],
  ['a FETCH 1 BODY[0]', 'Invalid section: part number 0'],
  ['a FETCH 1 BODY[MIME]', 'Invalid section: MIME needs a part number'],
  ['a FETCH 1 BODY[HEADER.FIELDS]', 'Invalid section: HEADER.FIELDS needs a list of header names'],
  ['a FETCH 1 BODY[HEADER.FIELDS ()]', 'Invalid section: HEADER.FIELDS needs a list of header names'],
  ['a FETCH 1 BODY[TEXT (From)]', 'Invalid section: unexpected arguments'],
  ['a FETCH 1 BODY[FOO]', 'Invalid section FOO'],
  ['a FETCH 1 BODY[1.]', 'Invalid section 1.'],
  ['a FETCH 1 BODY[.TEXT]', 'Invalid section .TEXT'],
  ['a FETCH 1 BODY[1..2]', 'Invalid section 1..2'],
  ['a FETCH 1 BODY[HEADER.FIELDS (Fr:om)]', 'Invalid header field name Fr:om'],
  ['a FETCH 1 BODY[]<5>', 'Invalid partial: expected <start.count>'],
  ['a FETCH 1 BODY[]<1.0>', 'Invalid partial: count must not be 0'],
  ['a FETCH 1 BODY[]<1.2', 'Missing ">" in partial'],
  ['a FETCH 1 BODY[TEXT', 'Missing "]"'],
  ['a FETCH 1 BODY[TEXT]x', 'Invalid text after section'],
  ['a FETCH 1 BINARY[1.TEXT]', 'Invalid BINARY section: part numbers only'],
  ['a FETCH 1 FLAGS (CHANGEDSINCE)', 'Missing CHANGEDSINCE value'],
  ['a FETCH 1 FLAGS (CHANGEDSINCE x)', 'Invalid CHANGEDSINCE value: expected a number'],
  ['a FETCH 1 FLAGS (VANISHED)', 'VANISHED is only allowed with UID FETCH'],
  ['a UID FETCH 1 FLAGS (VANISHED)', 'VANISHED requires CHANGEDSINCE'],
  ['a UID FETCH 1 FLAGS (CHANGEDSINCE 0)', 'Invalid CHANGEDSINCE value: must not be 0'],
  ['a UID FETCH 1 FLAGS (CHANGEDSINCE -1)', 'Invalid CHANGEDSINCE value: expected a number'],
  ['a UID FETCH 1 FLAGS (CHANGEDSINCE 5 VANISHED VANISHED)', 'Unknown or repeated fetch modifier VANISHED'],
  ['a UID FETCH 1 FLAGS (CHANGEDSINCE 99999999999999999999)', 'Invalid CHANGEDSINCE value: number too big'],
  ['a FETCH 1 FLAGS (CHANGEDSINCE 1) extra', 'Unexpected extra arguments'],
  ['a FETCH 0 FLAGS', 'Invalid sequence set: 0 is out of range'],
];

for (const [line, text] of bad) {
  test(`bad fetch ${line}`, () => {
    assert.equal(parseOne(line), { kind: 'error', tag: 'a', response: 'BAD', code: null, text, fatal: false });
  });
}

test.run();
