/** LMTP parser (split at every byte and at random points), DATA reader and address parsing. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePathArgument } from '../../protocols/lmtp/wire/address.ts';
import { DotDataReader, normalizeLineEnds } from '../../protocols/lmtp/wire/data-reader.ts';
import { LmtpParser, type LmtpEvent } from '../../protocols/lmtp/wire/parser.ts';
import { lookupCandidates } from '../../protocols/lmtp/recipient.ts';

const limits = { lineLength: 40, dataLineLength: 20, messageSize: 64 };

/** Drives the parser like the session: after a DATA command, switch to data mode. */
function run(chunks: Buffer[]): unknown[] {
  const p = new LmtpParser(limits);
  const out: unknown[] = [];
  for (const c of chunks) {
    p.push(c);
    for (let e: LmtpEvent = p.next(); e.type !== 'need-more'; e = p.next()) {
      if (e.type === 'data') out.push({ type: 'data', message: e.message?.toString('latin1') ?? null, problem: e.problem });
      else if (e.type === 'bdat') out.push({ type: 'bdat', size: e.size, last: e.last, chunk: e.chunk?.toString('latin1') ?? null });
      else out.push(e);
      if (e.type === 'command' && e.verb === 'DATA') p.beginData();
    }
  }
  return out;
}

const input = Buffer.from(
  'LHLO mx\r\nDATA\r\nSubject: a\r\n..dot\n.\r\n\r\n' +
    'BDAT 5\r\nab\r\ncBDAT 3 LAST\r\nxyzRCPT TO:<\xc3\xa9@x>\r\nBDAT 99999 LAST\r\n' +
    'x'.repeat(99999) +
    'NO\0OP\r\n' +
    'Y'.repeat(60) +
    '\r\nDATA\r\n' +
    'L'.repeat(30) +
    '\r\n.\r\nQUIT\r\n',
  'latin1',
);
const expected = [
  { type: 'command', verb: 'LHLO', args: 'mx', utf8: true },
  { type: 'command', verb: 'DATA', args: '', utf8: true },
  { type: 'data', message: 'Subject: a\r\n.dot\r\n', problem: null },
  { type: 'command', verb: '', args: '', utf8: true },
  { type: 'bdat', size: 5, last: false, chunk: 'ab\r\nc' },
  { type: 'bdat', size: 3, last: true, chunk: 'xyz' },
  { type: 'command', verb: 'RCPT', args: 'TO:<\u00e9@x>', utf8: true },
  { type: 'bdat', size: 99999, last: true, chunk: null },
  { type: 'error', reply: '500 5.5.2 Invalid NUL byte in command' },
  { type: 'error', reply: '500 5.5.2 Line too long' },
  { type: 'command', verb: 'DATA', args: '', utf8: true },
  { type: 'data', message: null, problem: 'line-too-long' },
  { type: 'command', verb: 'QUIT', args: '', utf8: true },
];

test('whole input', () => {
  assert.equal(run([input]), expected);
});

test('split at every byte position of the head, and byte by byte', () => {
  const head = input.subarray(0, 120);
  const tail = input.subarray(120);
  for (let i = 0; i <= head.length; i++) {
    assert.equal(run([head.subarray(0, i), head.subarray(i), tail]), expected, `split at ${i}`);
  }
  const bytes: Buffer[] = [];
  for (let i = 0; i < input.length; i++) bytes.push(input.subarray(i, i + 1));
  assert.equal(run(bytes), expected, 'byte by byte');
});

test('random splits', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 100; round++) {
    const chunks: Buffer[] = [];
    for (let pos = 0; pos < input.length; ) {
      const n = 1 + Math.floor(rand() * (rand() < 0.1 ? 5000 : 15));
      chunks.push(input.subarray(pos, pos + n));
      pos += n;
    }
    assert.equal(run(chunks), expected, `round ${round}`);
  }
});

test('invalid UTF-8 in arguments is flagged, malformed BDAT comes out as a command', () => {
  assert.equal(run([Buffer.from('RCPT TO:<\xff@x>\r\nBDAT -1\r\nBDAT 1234567890123456\r\n', 'latin1')]), [
    { type: 'command', verb: 'RCPT', args: 'TO:<\xff@x>', utf8: false },
    { type: 'command', verb: 'BDAT', args: '-1', utf8: true },
    { type: 'command', verb: 'BDAT', args: '1234567890123456', utf8: true },
  ]);
});

test('DATA reader: dot-unstuffing, bare LF, lone dot only as a whole line', () => {
  const r = new DotDataReader(1000, 100);
  const body = Buffer.from('a\n..b\r\n.c\r\n. \r\n\r\nlast\r\n.\r\nNEXT');
  const { consumed, done } = r.feed(body);
  assert.ok(done);
  assert.is(body.subarray(consumed).toString(), 'NEXT');
  const result = r.result();
  assert.is(result.message?.toString(), 'a\r\n.b\r\nc\r\n \r\n\r\nlast\r\n');
  assert.is(result.problem, null);
  assert.is(result.size, 21);
});

test('DATA reader: too big is reported after the terminator; empty message', () => {
  const r = new DotDataReader(5, 100);
  assert.equal(r.feed(Buffer.from('123\r\n456\r\n.\r\n')), { consumed: 13, done: true });
  assert.is(r.result().problem, 'too-big');
  const empty = new DotDataReader(5, 100);
  assert.ok(empty.feed(Buffer.from('.\r\n')).done);
  assert.is(empty.result().message?.length, 0);
});

test('normalizeLineEnds', () => {
  assert.is(normalizeLineEnds(Buffer.from('a\nb\r\nc\n')).toString(), 'a\r\nb\r\nc\r\n');
  const same = Buffer.from('a\r\nb');
  assert.is(normalizeLineEnds(same), same);
});

test('paths: null sender, source route, quoted local part, params, errors', () => {
  const from = parsePathArgument('FROM:<> SIZE=10 BODY=8BITMIME', 'FROM', true);
  assert.equal(from, { ok: true, mailbox: { text: '', local: '', domain: '' }, params: [['SIZE', '10'], ['BODY', '8BITMIME']] });
  const routed = parsePathArgument('to: <@a.example,@b.example:User@Example.COM>', 'TO', false);
  assert.equal(routed, { ok: true, mailbox: { text: 'User@Example.COM', local: 'User', domain: 'example.com' }, params: [] });
  const quoted = parsePathArgument('TO:<"a b\\"c>"@x.org>', 'TO', false);
  assert.equal(quoted, { ok: true, mailbox: { text: '"a b\\"c>"@x.org', local: 'a b"c>', domain: 'x.org' }, params: [] });
  assert.equal(parsePathArgument('TO:<>', 'TO', false), { ok: false, problem: 'address' });
  assert.equal(parsePathArgument('TO:alice@x', 'TO', false), { ok: false, problem: 'syntax' });
  assert.equal(parsePathArgument('TO:<alice@x', 'TO', false), { ok: false, problem: 'syntax' });
  assert.equal(parsePathArgument('TO:<alice@x>junk', 'TO', false), { ok: false, problem: 'syntax' });
  assert.equal(parsePathArgument('TO:<a..b@x>', 'TO', false), { ok: false, problem: 'address' });
  assert.equal(parsePathArgument('TO:<a@-x>', 'TO', false), { ok: false, problem: 'address' });
  assert.equal(parsePathArgument('TO:<\u00e9@x>', 'TO', false), { ok: false, problem: 'non-ascii' });
  assert.equal(parsePathArgument('TO:<a@x> =v', 'TO', false), { ok: false, problem: 'syntax' });
});

test('lookup candidates: full address, without +detail, bare local part', () => {
  assert.equal(lookupCandidates({ text: '', local: 'alice+news', domain: 'example.com' }), [
    'alice+news@example.com',
    'alice@example.com',
    'alice',
  ]);
  assert.equal(lookupCandidates({ text: '', local: 'bob', domain: 'example.com' }), ['bob@example.com', 'bob']);
  assert.equal(lookupCandidates({ text: '', local: 'bob', domain: '' }), ['bob']);
});

test.run();
