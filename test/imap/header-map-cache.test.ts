/** The parsed header-cache memo of SEARCH/SORT: loads once per GUID, skips nulls, stays bounded. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HeaderMapCache } from '../../protocols/imap/header-map-cache.ts';

const map = (v: string) => new Map([['subject', [v]]]);

test('a GUID is loaded once; null answers are not kept', () => {
  const c = new HeaderMapCache(1024 * 1024);
  let loads = 0;
  const load = () => (loads++, map('hello'));
  assert.equal(c.get('g1', load), map('hello'));
  assert.equal(c.get('g1', load), map('hello'));
  assert.is(loads, 1);
  let nulls = 0;
  assert.is(c.get('g2', () => (nulls++, null)), null);
  assert.is(c.get('g2', () => (nulls++, null)), null);
  assert.is(nulls, 2);
});

test('bounded: old entries go, recently used ones stay', () => {
  const c = new HeaderMapCache(16 * 1024);
  c.get('keep', () => map('k'));
  for (let i = 0; i < 200; i++) {
    c.get(`g${i}`, () => map('x'.repeat(100)));
    c.get('keep', () => map('reloaded'));
  }
  assert.ok(c.size < 200, `size ${c.size}`);
  assert.equal(c.get('keep', () => map('reloaded')), map('k'));
  let loaded = false;
  c.get('g0', () => ((loaded = true), map('again')));
  assert.ok(loaded, 'the oldest entry was evicted');
});

test.run();
