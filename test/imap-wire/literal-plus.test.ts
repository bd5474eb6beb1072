/**
 * LITERAL+ (RFC 7888) in the receiver: non-synchronizing literals up to the literal limit; a
 * larger one is read and dropped as it streams, the command answered NO [TOOBIG], and the next
 * command parses as usual, whatever the chunking. LITERAL- mode keeps the 4096 cap and closes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feed, feedChunks, makeReceiver, randomChunks, splitAt } from './helpers.ts';

const PLUS = { imapLiteralPlus: true, imapLiteralSize: 1000, imapLiteralSizePreAuth: 20 };
const TOOBIG = (tag: string | null) => ({ kind: 'error', tag, response: 'NO', code: 'TOOBIG', text: 'Literal too big', fatal: false });
const NOOP = (tag: string) => ({ kind: 'request', tag, command: { name: 'NOOP' } });

test('LITERAL+: a non-sync literal above 4096 within the literal limit is accepted', () => {
  const body = 'x'.repeat(5000);
  const events = feed(`a APPEND INBOX {5000+}\r\n${body}\r\n`, { limits: { imapLiteralPlus: true } });
  assert.is(events.length, 1);
  const ev = events[0] as { kind: string; command: { messages: Array<{ message: { bytes: string } }> } };
  assert.is(ev.kind, 'request');
  assert.is(ev.command.messages[0]!.message.bytes, body);
});

test('LITERAL+: too big is discarded, NO [TOOBIG], next command fine (every split point)', () => {
  const input = Buffer.from(`a APPEND INBOX {1500+}\r\n${'y'.repeat(1500)}\r\nb NOOP\r\n`);
  const expected = [TOOBIG('a'), NOOP('b')];
  assert.equal(feed(input, { limits: PLUS }), expected);
  for (let i = 0; i <= input.length; i += 7) {
    assert.equal(feedChunks(splitAt(input, [i]), { limits: PLUS }), expected, `split ${i}`);
  }
  for (let seed = 1; seed < 20; seed++) assert.equal(feedChunks(randomChunks(input, seed, 300), { limits: PLUS }), expected);
});

test('LITERAL+: refused literal bytes are never buffered whole', () => {
  const r = makeReceiver({ limits: PLUS });
  r.push(Buffer.from('a APPEND INBOX {100000+}\r\n'));
  assert.is(r.next().kind, 'need-more');
  for (let i = 0; i < 99; i++) {
    r.push(Buffer.alloc(1000, 0x41));
    assert.is(r.next().kind, 'need-more');
    assert.is(r.buffered, 0);
  }
  r.push(Buffer.from('A'.repeat(1000) + '\r\nb NOOP\r\n'));
  assert.equal(JSON.parse(JSON.stringify(r.next())), TOOBIG('a'));
  assert.equal(JSON.parse(JSON.stringify(r.next())), NOOP('b'));
});

test('LITERAL+: the sum of literals counts; later non-sync literals of the command are skipped too', () => {
  // MULTIAPPEND: 600 + 600 > 1000; the third literal and its line are dropped as well.
  const input = `a APPEND INBOX {600+}\r\n${'1'.repeat(600)} {600+}\r\n${'2'.repeat(600)} {3+}\r\nabc\r\nb NOOP\r\n`;
  assert.equal(feed(input, { limits: PLUS }), [TOOBIG('a'), NOOP('b')]);
});

test('LITERAL+: a sync literal after a refused one ends the command (the client waits for +)', () => {
  const input = `a APPEND INBOX {2000+}\r\n${'1'.repeat(2000)} {5}\r\nb NOOP\r\n`;
  assert.equal(feed(input, { limits: PLUS }), [TOOBIG('a'), NOOP('b')]);
});

test('LITERAL+: the pre-auth limit applies before login', () => {
  const input = `a LOGIN {30+}\r\n${'u'.repeat(30)} pw\r\nb NOOP\r\n`;
  assert.equal(feed(input, { authenticated: false, limits: PLUS }), [TOOBIG('a'), NOOP('b')]);
  assert.equal(feed(`a LOGIN {20+}\r\n${'u'.repeat(20)} pw\r\n`, { authenticated: false, limits: PLUS }), [
    { kind: 'request', tag: 'a', command: { name: 'LOGIN', user: 'u'.repeat(20), password: 'pw' } },
  ]);
});

test('LITERAL+: an absurd size cannot be skipped: fatal BAD', () => {
  const events = feed('a APPEND INBOX {99999999999999999999+}\r\n', { limits: PLUS });
  assert.equal(events, [
    { kind: 'error', tag: 'a', response: 'BAD', code: 'TOOBIG', text: 'Non-synchronizing literal too big', fatal: true },
  ]);
});

test('LITERAL+: an overlong line after a refused literal is BAD with the tag, then the stream resumes', () => {
  const limits = { ...PLUS, imapLineLength: 40 };
  const input = `a APPEND INBOX {1500+}\r\n${'y'.repeat(1500)}${'z'.repeat(100)}\r\nb NOOP\r\n`;
  assert.equal(feed(input, { limits }), [
    { kind: 'error', tag: 'a', response: 'BAD', code: null, text: 'Command line too long', fatal: false },
    NOOP('b'),
  ]);
});

test('LITERAL- mode keeps the cap and the fatal BAD', () => {
  const events = feed(`a APPEND INBOX {4097+}\r\n`, { limits: { imapLiteralPlus: false } });
  assert.is((events[0] as { fatal: boolean }).fatal, true);
});

test.run();
