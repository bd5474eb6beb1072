/** POP3 line parser (split at every byte and at random points) and multi-line body encoding. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Pop3LineParser, splitCommand, type Pop3ParseEvent } from '../../protocols/pop3/wire/line-parser.ts';
import { findHeaderEnd, multilineBody, multilineLines, topOfMessage } from '../../protocols/pop3/wire/message-text.ts';

function drain(p: Pop3LineParser): Pop3ParseEvent[] {
  const out: Pop3ParseEvent[] = [];
  for (let e = p.next(); e.type !== 'need-more'; e = p.next()) out.push(e);
  return out;
}

function parseIn(chunks: Buffer[], max = 20): Pop3ParseEvent[] {
  const p = new Pop3LineParser(max);
  const out: Pop3ParseEvent[] = [];
  for (const c of chunks) {
    p.push(c);
    out.push(...drain(p));
  }
  return out;
}

const input = Buffer.from('USER alice\r\nPASS a b c\nNOOP\r\n' + 'X'.repeat(50) + '\r\nST\0AT\r\nQUIT\r\nPART');
const expected: Pop3ParseEvent[] = [
  { type: 'line', line: 'USER alice' },
  { type: 'line', line: 'PASS a b c' },
  { type: 'line', line: 'NOOP' },
  { type: 'error', message: 'Line too long.' },
  { type: 'error', message: 'Invalid NUL byte in command.' },
  { type: 'line', line: 'QUIT' },
];

test('whole input', () => {
  assert.equal(parseIn([input]), expected);
});

test('split at every byte position', () => {
  for (let i = 0; i <= input.length; i++) {
    assert.equal(parseIn([input.subarray(0, i), input.subarray(i)]), expected, `split at ${i}`);
  }
  assert.equal(parseIn([...input].map((b) => Buffer.from([b]))), expected, 'one byte at a time');
});

test('random splits', () => {
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const chunks: Buffer[] = [];
    for (let pos = 0; pos < input.length; ) {
      const n = 1 + Math.floor(rand() * 12);
      chunks.push(input.subarray(pos, pos + n));
      pos += n;
    }
    assert.equal(parseIn(chunks), expected, `round ${round}`);
  }
});

test('overlong line without a line end yet is reported once, then the rest is skipped', () => {
  const p = new Pop3LineParser(8);
  p.push(Buffer.from('ABCDEFGHIJKL'));
  assert.equal(drain(p), [{ type: 'error', message: 'Line too long.' }]);
  p.push(Buffer.from('MNOP'));
  assert.equal(drain(p), []);
  p.push(Buffer.from('QR\r\nNOOP\r\n'));
  assert.equal(drain(p), [{ type: 'line', line: 'NOOP' }]);
});

test('a line of exactly the limit is accepted, CR arriving before LF', () => {
  const p = new Pop3LineParser(4);
  p.push(Buffer.from('STAT\r'));
  assert.equal(drain(p), []);
  p.push(Buffer.from('\n'));
  assert.equal(drain(p), [{ type: 'line', line: 'STAT' }]);
});

test('discardBuffered drops pipelined bytes', () => {
  const p = new Pop3LineParser(100);
  p.push(Buffer.from('STLS\r\nUSER evil\r\n'));
  assert.equal(p.next(), { type: 'line', line: 'STLS' });
  p.discardBuffered();
  assert.equal(p.next(), { type: 'need-more' });
});

test('splitCommand keeps the raw rest for passwords with spaces', () => {
  assert.equal(splitCommand('pass  my secret '), { name: 'PASS', args: ['my', 'secret'], rest: ' my secret ' });
  assert.equal(splitCommand('stat'), { name: 'STAT', args: [], rest: '' });
});

test('multilineBody dot-stuffs every line start and terminates', () => {
  const raw = Buffer.from('.a\r\nb\r\n.\r\n..c\r\n');
  assert.is(multilineBody(raw).toString(), '..a\r\nb\r\n..\r\n...c\r\n.\r\n');
});

test('multilineBody adds the missing final CRLF', () => {
  assert.is(multilineBody(Buffer.from('a\r\n.b')).toString(), 'a\r\n..b\r\n.\r\n');
  assert.is(multilineBody(Buffer.alloc(0)).toString(), '.\r\n');
});

test('multilineLines dot-stuffs short lines', () => {
  assert.is(multilineLines(['A', '.B']), 'A\r\n..B\r\n.\r\n');
});

test('TOP: header, blank line and n body lines; no body separator returns all', () => {
  const raw = Buffer.from('H: 1\r\nI: 2\r\n\r\nb1\r\nb2\r\nb3');
  assert.is(topOfMessage(raw, 0).toString(), 'H: 1\r\nI: 2\r\n\r\n');
  assert.is(topOfMessage(raw, 2).toString(), 'H: 1\r\nI: 2\r\n\r\nb1\r\nb2\r\n');
  assert.is(topOfMessage(raw, 9).toString(), raw.toString());
  assert.is(topOfMessage(Buffer.from('H: 1\r\nI: 2\r\n'), 1).toString(), 'H: 1\r\nI: 2\r\n');
  assert.is(findHeaderEnd(Buffer.from('\r\nbody')), 2);
  assert.is(findHeaderEnd(Buffer.from('H: 1\n\nbody')), 6);
});

test.run();
