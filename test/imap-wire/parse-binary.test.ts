/**
 * RFC 3516 FETCH items and RFC 4978 COMPRESS in the parser: typed results, and BAD for what
 * the grammar does not allow.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOne } from './helpers.ts';

const attrs = (line: string) => (parseOne(line) as { command: { attributes: unknown[] } }).command.attributes;
const isBad = (line: string) => (parseOne(line) as { kind: string; response?: string }).response === 'BAD';

test('BINARY, BINARY.PEEK with partial, BINARY.SIZE', () => {
  assert.equal(attrs('a FETCH 1 (BINARY[1.2] BINARY.PEEK[3]<10.20> BINARY.SIZE[1] BINARY[])'), [
    { type: 'BINARY[]', peek: false, part: [1, 2], partial: null },
    { type: 'BINARY[]', peek: true, part: [3], partial: { start: 10, length: 20 } },
    { type: 'BINARY.SIZE', part: [1] },
    { type: 'BINARY[]', peek: false, part: [], partial: null },
  ]);
  assert.equal(attrs('a UID FETCH 1:* binary.size[2]'), [{ type: 'BINARY.SIZE', part: [2] }]);
});

test('BINARY sections are part numbers only; BINARY.SIZE has no partial', () => {
  for (const line of [
    'a FETCH 1 BINARY[HEADER]',
    'a FETCH 1 BINARY[1.TEXT]',
    'a FETCH 1 BINARY.PEEK[1.MIME]',
    'a FETCH 1 BINARY[0]',
    'a FETCH 1 BINARY[1.]',
    'a FETCH 1 BINARY.SIZE[1]<0.5>',
    'a FETCH 1 BINARY[1]<5>',
    'a FETCH 1 BINARY[1]<0.0>',
    'a FETCH 1 BINARY.BOGUS[1]',
  ]) {
    assert.ok(isBad(line), line);
  }
});

test('COMPRESS takes one atom', () => {
  assert.equal(parseOne('a COMPRESS DEFLATE'), { kind: 'request', tag: 'a', command: { name: 'COMPRESS', mechanism: 'DEFLATE' } });
  assert.equal((parseOne('a compress deflate') as { command: { mechanism: string } }).command.mechanism, 'DEFLATE');
  for (const line of ['a COMPRESS', 'a COMPRESS DEFLATE X', 'a COMPRESS (DEFLATE)', 'a COMPRESS "DEFLATE"']) assert.ok(isBad(line), line);
});

test.run();
