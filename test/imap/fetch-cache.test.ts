/**
 * The rendered ENVELOPE/BODYSTRUCTURE cache: LRU order, the byte bound, oversized entries
 * skipped, items of one GUID kept apart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fetchItemCache, FetchItemCache } from '../../protocols/imap/fetch-cache.ts';

test('get returns what set stored, per item kind', () => {
  const c = new FetchItemCache(64 * 1024);
  c.set('g1', 'ENVELOPE', ['(', 'NIL', ')']);
  c.set('g1', 'BODYSTRUCTURE', ['("TEXT")']);
  assert.equal(c.get('g1', 'ENVELOPE'), ['(', 'NIL', ')']);
  assert.equal(c.get('g1', 'BODYSTRUCTURE'), ['("TEXT")']);
  assert.is(c.get('g1', 'BODY'), undefined);
  assert.is(c.get('g2', 'ENVELOPE'), undefined);
  assert.is(c.hits, 2);
  assert.is(c.misses, 2);
});

test('the least recently used entry goes first when over the bound', () => {
  const c = new FetchItemCache(4000); // entries of ~100 + 96 bytes: 20 fit
  const chunk = 'x'.repeat(100);
  for (let i = 0; i < 20; i++) c.set(`g${i}`, 'ENVELOPE', [chunk]);
  assert.ok(c.get('g0', 'ENVELOPE')); // g0 becomes the most recent
  for (let i = 20; i < 23; i++) c.set(`g${i}`, 'ENVELOPE', [chunk]);
  assert.ok(c.usedBytes <= 4000);
  assert.ok(c.get('g0', 'ENVELOPE'), 'recently used entry kept');
  assert.is(c.get('g1', 'ENVELOPE'), undefined, 'oldest entry evicted');
  assert.ok(c.get('g22', 'ENVELOPE'));
});

test('an entry over 1/16 of the bound is not kept; replacing keeps the byte count right', () => {
  const c = new FetchItemCache(16 * 1024);
  c.set('big', 'BODYSTRUCTURE', [Buffer.alloc(2000)]);
  assert.is(c.get('big', 'BODYSTRUCTURE'), undefined);
  c.set('g', 'ENVELOPE', ['abc']);
  const used = c.usedBytes;
  c.set('g', 'ENVELOPE', ['abc']);
  assert.is(c.usedBytes, used);
  assert.is(c.size, 1);
  c.clear();
  assert.is(c.usedBytes, 0);
});

test.run();
