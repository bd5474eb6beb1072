/**
 * SEARCH header keys and SORT/THREAD answered from the index's header cache: no message is
 * read when the cache holds the fields, and results match the read-every-message path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import type { SearchKey } from '../../core/search/criteria.ts';
import { searchView } from '../../core/search/search-view.ts';
import { searchView as imapSearchView } from '../../protocols/imap/search-flow.ts';
import { gatherFacts } from '../../protocols/imap/sort-flow.ts';
import { sortMessages, type SortCriterion } from '../../core/search/sort.ts';
import { threadMessages, formatThreads } from '../../core/search/thread.ts';
import { testConfig } from '../storage/helpers.ts';

/** The view with its reads counted; `hideCache` makes it look like a view without a cache. */
function wrap(view: MailboxView, hideCache = false): { view: MailboxView; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(view, {
    get(target, prop, receiver) {
      if (prop === 'read') return (seq: number) => { reads++; return target.read(seq); };
      if (prop === 'cachedHeaders' && hideCache) return undefined;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { view: proxy, reads: () => reads };
}

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ['alice', 'Bob', 'carol', 'dave', '=?UTF-8?B?w4lsb2TDqWU=?=', '=?ISO-8859-1?Q?J=F6rg?='];
const WORDS = ['meeting', 'Re: lunch', 'report', 'Fwd: invoice', '=?UTF-8?Q?caf=C3=A9?=', 'hello world'];

function randomMessage(r: () => number, i: number): Buffer {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const lines: string[] = [];
  if (r() < 0.9) lines.push(`From: ${pick(NAMES)} <${pick(NAMES).replace(/[^a-z]/gi, 'x')}@example.com>`);
  if (r() < 0.8) lines.push(`To: ${pick(NAMES)} <t${i}@example.org>`);
  if (r() < 0.4) lines.push(`Cc: c${i % 3}@example.net,\r\n ${pick(NAMES)} <cc@example.net>`);
  if (r() < 0.2) lines.push(`Bcc: hidden${i % 2}@example.com`);
  if (r() < 0.9) lines.push(`Subject: ${pick(WORDS)}${r() < 0.3 ? '\r\n\tcontinued' : ''}`);
  if (r() < 0.85) lines.push(`Date: ${1 + Math.floor(r() * 28)} Mar 2024 ${String(Math.floor(r() * 24)).padStart(2, '0')}:00:00 +0${Math.floor(r() * 9)}00`);
  lines.push(`Message-ID: <m${i}@example.com>`);
  if (i > 0 && r() < 0.5) lines.push(`In-Reply-To: <m${Math.floor(r() * i)}@example.com>`);
  if (i > 0 && r() < 0.4) lines.push(`References: <m${Math.floor(r() * i)}@example.com> <m${i - 1}@example.com>`);
  if (r() < 0.3) lines.push(`X-Other: ${pick(WORDS)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\nbody ${pick(WORDS)}\r\n`, 'utf8');
}

async function corpus(n: number, seed: number) {
  const provider = createMailStore({ config: testConfig(), objects: createMemoryStore() });
  const store = await provider.openUser('hc');
  const r = rng(seed);
  for (let i = 0; i < n; i++) await store.append('INBOX', randomMessage(r, i));
  const view = await store.openMailbox('INBOX', { readOnly: true });
  return { provider, store, view };
}

const h = (name: string, value: string): SearchKey => ({ type: 'header', name, value });

test('SEARCH FROM and SORT SUBJECT read no message when the cache is filled', async () => {
  const { view, store } = await corpus(20, 1);
  const counted = wrap(view);
  const hits = await searchView(counted.view, h('FROM', 'alice'));
  assert.ok(hits.length > 0);
  await imapSearchView(counted.view, { type: 'and', keys: [h('SUBJECT', 'report'), { type: 'date', field: 'sent', op: 'since', date: '2024-03-10' }] });
  const facts = await gatherFacts(counted.view, { type: 'all' }, true);
  assert.is(facts.length, 20);
  sortMessages(facts, [{ key: 'SUBJECT', reverse: false }]);
  assert.is(counted.reads(), 0);
  // A header outside the cache still reads the message (once per message).
  await searchView(counted.view, h('X-Other', 'report'));
  assert.is(counted.reads(), 20);
  await store.release();
});

test('results with the cache equal results without it (random corpus)', async () => {
  const { view, store } = await corpus(60, 7);
  const cached = wrap(view);
  const plain = wrap(view, true);
  const keys: SearchKey[] = [
    h('FROM', 'alice'), h('FROM', 'élodée'), h('FROM', 'jörg'), h('TO', 'example.org'), h('CC', 'c1@'),
    h('BCC', 'hidden1'), h('BCC', ''), h('SUBJECT', 'café'), h('SUBJECT', 'continued'), h('SUBJECT', 're: LUNCH'),
    h('Message-ID', 'm3@'), h('References', ''), h('In-Reply-To', 'm1'), h('X-Other', ''), h('Date', 'Mar'),
    { type: 'date', field: 'sent', op: 'before', date: '2024-03-15' },
    { type: 'date', field: 'sent', op: 'on', date: '2024-03-03' },
    { type: 'or', left: h('FROM', 'bob'), right: { type: 'not', key: h('SUBJECT', 'meeting') } },
  ];
  for (const k of keys) {
    assert.equal(await searchView(cached.view, k), await searchView(plain.view, k), JSON.stringify(k));
  }
  assert.ok(plain.reads() > 0);
  const criteria: SortCriterion[][] = [
    [{ key: 'SUBJECT', reverse: false }], [{ key: 'FROM', reverse: true }], [{ key: 'DATE', reverse: false }],
    [{ key: 'CC', reverse: false }, { key: 'TO', reverse: true }], [{ key: 'DISPLAYFROM', reverse: false }],
  ];
  const withCache = await gatherFacts(cached.view, { type: 'all' }, true);
  const without = await gatherFacts(plain.view, { type: 'all' }, true);
  assert.equal(withCache, without);
  for (const c of criteria) assert.equal(sortMessages(withCache, c), sortMessages(without, c));
  for (const alg of ['ORDEREDSUBJECT', 'REFERENCES'] as const) {
    const a = threadMessages(withCache.map((f) => ({ ...f, headers: f.headers! })), alg);
    const b = threadMessages(without.map((f) => ({ ...f, headers: f.headers! })), alg);
    assert.is(formatThreads(a), formatThreads(b));
  }
  await store.release();
});

test('a copied message carries the cache', async () => {
  const { view, store } = await corpus(3, 3);
  await store.createMailbox('Kept');
  const rw = await store.openMailbox('INBOX', { readOnly: false });
  await rw.copy([1, 2, 3], 'Kept');
  const dest = wrap(await store.openMailbox('Kept', { readOnly: true }));
  assert.ok(dest.view.cachedHeaders!(1) !== null);
  assert.equal(await searchView(dest.view, h('SUBJECT', '')), await searchView(view, h('SUBJECT', '')));
  assert.is(dest.reads(), 0);
  await store.release();
});

test.run();
