/**
 * Modified UTF-7: known answers (RFC 3501 examples), round trips, invalid input.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMutf7, encodeMutf7 } from '../../protocols/imap/wire/index.ts';
import { rng } from './helpers.ts';

const known: Array<[string, string]> = [
  ['INBOX', 'INBOX'],
  ['', ''],
  ['&', '&-'],
  ['a&b&&', 'a&-b&-&-'],
  ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
  ['Entwürfe', 'Entw&APw-rfe'],
  ['Gelöschte Elemente', 'Gel&APY-schte Elemente'],
  ['€', '&IKw-'],
  ['😀', '&2D3eAA-'],
  ['tab\there', 'tab&AAk-here'],
  ['ä&ö', '&AOQ-&-&APY-'],
];

for (const [utf8, wire] of known) {
  test(`known answer ${JSON.stringify(utf8)}`, () => {
    assert.is(encodeMutf7(utf8), wire);
    assert.is(decodeMutf7(wire), utf8);
  });
}

test('random round trips', () => {
  const next = rng(42);
  const alphabet = ['a', 'Z', '&', '-', ' ', '/', 'ä', 'ß', '台', '😀', '\u00a0', '~', '+', ','];
  for (let i = 0; i < 2000; i++) {
    let s = '';
    const len = Math.floor(next() * 12);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
    const wire = encodeMutf7(s);
    assert.ok(/^[\x20-\x7e]*$/.test(wire), wire);
    assert.is(decodeMutf7(wire), s, JSON.stringify(s));
  }
});

const invalid: Array<[string, string]> = [
  ['&', 'unterminated shift'],
  ['&AOQ', 'unterminated shift'],
  ['&AOQ!-', 'character outside modified base64'],
  ['&AO/-', "'/' instead of ','"],
  ['&AOQ=-', 'padding'],
  ['&AOR-', 'non-zero leftover bits'],
  ['&AGE-', 'encoded printable ASCII (a)'],
  ['&ACY-', 'encoded ampersand'],
  ['&AOQ-&APY-', 'two adjacent encoded runs'],
  ['&2D0-', 'lone high surrogate'],
  ['&3gA-', 'lone low surrogate'],
  ['&AAA-', 'NUL'],
  ['&AA-', 'half a UTF-16 unit'],
  ['caf\u00e9', 'raw 8-bit character'],
  ['a\tb', 'raw control character'],
];

for (const [wire, why] of invalid) {
  test(`invalid: ${why}`, () => {
    assert.is(decodeMutf7(wire), null);
  });
}

test.run();
