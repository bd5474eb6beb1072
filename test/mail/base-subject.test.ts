/** RFC 5256 2.1 base-subject extraction. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { baseSubject } from '../../core/mail/base-subject.ts';

const base = (s: string) => baseSubject(s).subject;
const reply = (s: string) => baseSubject(s).isReplyOrForward;

test('plain subjects stay as written (whitespace packed)', () => {
  assert.is(base('Hello world'), 'Hello world');
  assert.is(base('  Hello \t  world  '), 'Hello world');
  assert.is(base(''), '');
  assert.not.ok(reply('Hello'));
});

test('Re:, Fw:, Fwd: leaders, repeated and case-insensitive', () => {
  assert.is(base('Re: Hello'), 'Hello');
  assert.is(base('RE: re: Fwd: FW: Hello'), 'Hello');
  assert.is(base('Re : Hello'), 'Hello');
  assert.is(base('Re[2]: Hello'), 'Hello');
  assert.is(base('Re [2] : Hello'), 'Hello');
  assert.ok(reply('Re: Hello'));
  assert.ok(reply('fwd: Hello'));
  // Not a leader: no colon, or another word.
  assert.is(base('Rex: Hello'), 'Rex: Hello');
  assert.is(base('Re Hello'), 'Re Hello');
  assert.is(base('Fwdx: Hello'), 'Fwdx: Hello');
});

test('(fwd) trailers and whitespace at the end', () => {
  assert.is(base('Hello (fwd)'), 'Hello');
  assert.is(base('Hello (FWD) (fwd)  '), 'Hello');
  assert.ok(reply('Hello (fwd)'));
  assert.is(base('Hello(fwd)'), 'Hello');
});

test('blobs go before a leader, or alone when a subject remains', () => {
  assert.is(base('[list] Re: Hello'), 'Hello');
  assert.is(base('Re: [list] Hello'), 'Hello');
  assert.is(base('[a][b] Hello'), 'Hello');
  assert.not.ok(reply('[list] Hello'));
  // A blob that is the whole subject stays.
  assert.is(base('[list]'), '[list]');
  assert.is(base('Re: [list]'), '[list]');
  // Unbalanced brackets are not blobs.
  assert.is(base('[list Hello'), '[list Hello');
});

test('[fwd: ...] wrappers, nested with leaders', () => {
  assert.is(base('[fwd: Hello]'), 'Hello');
  assert.is(base('[Fwd: Re: Hello]'), 'Hello');
  assert.is(base('Re: [fwd: [fwd: Hello (fwd)]]'), 'Hello');
  assert.ok(reply('[fwd: Hello]'));
  assert.is(base('[fwd: Hello'), '[fwd: Hello'); // no closing bracket: no wrapper
});

test('encoded words are decoded first', () => {
  assert.is(base('=?UTF-8?Q?Re=3A_Gr=C3=BC=C3=9Fe?='), 'Grüße');
  assert.is(base('Re: =?ISO-8859-1?Q?caf=E9?= (fwd)'), 'café');
});

test('random subjects: never throws, and the base subject is its own base subject', () => {
  let state = 99;
  const rnd = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const pieces = ['Re', 'RE', 'fw', 'Fwd', ':', ' ', '\t', '[', ']', '(fwd)', 'x', 'hello', '[fwd:', 'é'];
  for (let i = 0; i < 2000; i++) {
    let subj = '';
    for (let j = rnd(12); j > 0; j--) subj += pieces[rnd(pieces.length)];
    const b = baseSubject(subj).subject;
    assert.is(baseSubject(b).subject, b, JSON.stringify(subj));
  }
});

test.run();
