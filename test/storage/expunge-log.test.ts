/** QRESYNC's expunge record: ranges with MODSEQ, aging, and survival across restart and crash. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { ExpungeLog, toRanges, unionRanges } from '../../core/index/expunge-log.ts';
import { decodeMailboxBundle, encodeMailboxBundle } from '../../core/index/bundle.ts';
import { MailboxIndex } from '../../core/index/mailbox-index.ts';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { Config } from '../../core/config/schema.ts';
import { msg, testConfig } from './helpers.ts';

test('ranges: toRanges merges neighbours, unionRanges merges overlaps', () => {
  assert.equal(toRanges([5, 3, 4, 9, 9, 1]), [1, 1, 3, 5, 9, 9]);
  assert.equal(unionRanges([1, 3, 10, 12], [4, 4, 6, 8, 11, 20]), [1, 4, 6, 8, 10, 20]);
});

test('since(): only entries above the MODSEQ; floor marks incompleteness', () => {
  const log = new ExpungeLog();
  log.record([3, 4], 5);
  log.record([7], 8);
  log.record([8], 8);
  assert.equal(log.since(4), { ranges: [3, 4, 7, 8], exact: true });
  assert.equal(log.since(5), { ranges: [7, 8], exact: true });
  assert.equal(log.since(8), { ranges: [], exact: true });
  const old = new ExpungeLog(10);
  assert.is(old.since(9).exact, false);
  assert.is(old.since(10).exact, true);
});

test('many entries merge (superset, never fewer UIDs); too many ranges raise the floor', () => {
  const log = new ExpungeLog();
  for (let i = 1; i <= 1000; i++) log.record([i * 2], i + 1);
  assert.ok(log.entries.length <= 256);
  const all = log.since(0);
  assert.is(all.exact, true);
  assert.is(all.ranges.length / 2, 1000);
  // Every UID expunged after MODSEQ 900 is reported.
  const late = log.since(900).ranges;
  for (let i = 900; i <= 1000; i++) assert.ok(covers(late, i * 2), `uid ${i * 2}`);
  const big = new ExpungeLog();
  for (let i = 0; i < 30; i++) big.record(Array.from({ length: 2000 }, (_, k) => (i * 2000 + k) * 2 + 1), i + 2);
  assert.ok(big.floor > 0);
  assert.is(big.since(0).exact, false);
  assert.is(big.since(31).exact, true);
});

test('bundle keeps the record; a bundle without one is inexact below its HIGHESTMODSEQ', () => {
  const idx = new MailboxIndex({ guid: 'ab'.repeat(16), uidValidity: 7, uidNext: 1, highestModseq: 1, firstRecentUid: 1 });
  for (let uid = 1; uid <= 5; uid++) idx.append({ uid, guid: 'cd'.repeat(16), bits: 0, keywords: [], internalDate: 0, saveDate: 0, size: 10, modseq: uid + 1, pop3Uidl: '' });
  idx.expunge([2, 3], 9);
  const back = decodeMailboxBundle(encodeMailboxBundle(idx));
  assert.equal(back.expungeLog.since(8), { ranges: [2, 3], exact: true });
});

function covers(r: number[], uid: number): boolean {
  for (let i = 0; i < r.length; i += 2) if (uid >= r[i]! && uid <= r[i + 1]!) return true;
  return false;
}

function open(config: Config) {
  return createMailStore({ config, objects: createFsStore(join(config.home, 'storage')) });
}

test('expungedSince survives a crash (journal replay) and a clean restart (snapshot)', async () => {
  const config = testConfig({ storage: { snapshotEveryChanges: 100000 } });
  const a = open(config);
  const s = await a.openUser('dora');
  for (let i = 0; i < 6; i++) await s.append('INBOX', msg(`m${i}`));
  const v = await s.openMailbox('INBOX', { readOnly: false });
  const mark = v.highestModseq();
  await v.store([2, 4, 5], 'add', ['\\Deleted']);
  await v.expunge();
  assert.equal(v.expungedSince!(mark), { ranges: [2, 2, 4, 5], exact: true });
  // No release: a crash. The journal alone must bring the record back.
  const b = open(config);
  const s2 = await b.openUser('dora');
  const w = await s2.openMailbox('INBOX', { readOnly: true });
  assert.equal(w.expungedSince!(mark), { ranges: [2, 2, 4, 5], exact: true });
  assert.equal(w.expungedSince!(w.highestModseq()), { ranges: [], exact: true });
  await w.close();
  await s2.release();
  await b.close();
  const c = open(config);
  const s3 = await c.openUser('dora');
  const x = await s3.openMailbox('INBOX', { readOnly: true });
  assert.equal(x.expungedSince!(mark), { ranges: [2, 2, 4, 5], exact: true });
  await x.close();
  await s3.release();
  await c.close();
});

test.run();
