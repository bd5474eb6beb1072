import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailboxIndex, type IndexRecord } from '../../core/index/mailbox-index.ts';
import { decodeMailboxBundle, encodeMailboxBundle } from '../../core/index/bundle.ts';
import { decodeFrames, encodeFrame, JournalWriter, readJournal } from '../../core/index/journal.ts';
import { UserIndex } from '../../core/index/user-index.ts';
import type { JournalRecord } from '../../core/index/records.ts';
import { FLAG_DELETED, FLAG_SEEN } from '../../core/index/flags.ts';

const G = (i: number) => i.toString(16).padStart(32, '0');
const rec = (uid: number, extra: Partial<IndexRecord> = {}): IndexRecord => ({
  uid, guid: G(uid), bits: 0, keywords: [], internalDate: 1000 * uid, saveDate: 2000 * uid, size: 100 + uid, modseq: uid + 1, pop3Uidl: G(uid), ...extra,
});
const fresh = () => new MailboxIndex({ guid: G(999), uidValidity: 42, uidNext: 1, highestModseq: 1, firstRecentUid: 1 });

test('append, uid lookup, flags, expunge', () => {
  const idx = fresh();
  for (let u = 1; u <= 40; u += 2) idx.append(rec(u, u === 5 ? { keywords: ['Work', 'work', '$Junk'] } : {}));
  assert.is(idx.count, 20);
  assert.is(idx.uidNext, 40);
  assert.is(idx.positionOf(5), 2);
  assert.is(idx.positionOf(6), -1);
  assert.equal(idx.meta(2).flags, ['Work', '$Junk']);
  idx.setFlags(3, FLAG_SEEN | FLAG_DELETED, null, 77);
  assert.equal(idx.meta(3).flags, ['\\Seen', '\\Deleted']);
  assert.is(idx.highestModseq, 77);
  assert.equal(idx.deletedUids(), [7]);
  const removed = idx.expunge([7, 1, 1000], 78);
  assert.equal(removed.map((m) => m.uid), [1, 7]);
  assert.is(idx.count, 18);
  assert.is(idx.uids[0], 3);
  assert.is(idx.positionOf(5), 1);
  assert.equal(idx.meta(1).flags, ['Work', '$Junk']);
  assert.is(idx.guidAt(1), G(5));
  assert.throws(() => idx.append(rec(2)));
});

test('bundle round trip keeps every column', () => {
  const idx = fresh();
  for (let u = 1; u <= 1000; u++) idx.append(rec(u, { keywords: u % 7 === 0 ? ['seven'] : [], pop3Uidl: u === 3 ? 'legacy-3' : G(u) }));
  idx.setFlags(10, FLAG_SEEN, idx.keywordIdList(['x', 'seven']), 5000);
  idx.firstRecentUid = 900;
  const back = decodeMailboxBundle(encodeMailboxBundle(idx));
  assert.is(back.count, 1000);
  assert.is(back.uidValidity, 42);
  assert.is(back.firstRecentUid, 900);
  assert.is(back.totalSize, idx.totalSize);
  for (const p of [0, 2, 6, 10, 999]) assert.equal(back.meta(p), idx.meta(p));
  assert.is(back.meta(2).pop3Uidl, 'legacy-3');
  back.append(rec(1001));
  assert.is(back.count, 1001);
});

test('journal frames: a torn or corrupt last frame ends the replay there', () => {
  const a: JournalRecord[] = [{ t: 'sub', name: 'a', on: true }];
  const b: JournalRecord[] = [{ t: 'sub', name: 'b', on: true }];
  const whole = Buffer.concat([encodeFrame(a), encodeFrame(b)]);
  assert.equal(decodeFrames(whole).batches, [a, b]);
  for (let cut = 0; cut < whole.length; cut++) {
    const got = decodeFrames(whole.subarray(0, cut)).batches;
    assert.is(got.length, cut >= encodeFrame(a).length ? 1 : 0);
  }
  const corrupt = Buffer.from(whole);
  corrupt[corrupt.length - 2] ^= 0xff;
  const d = decodeFrames(corrupt);
  assert.equal(d.batches, [a]);
  assert.is(d.validLength, encodeFrame(a).length);
});

test('journal writer: replay gives the same user index; torn tail is cut off the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'columba-journal-'));
  const path = join(dir, 'journal.1');
  const w = new JournalWriter(path);
  const live = new UserIndex();
  const recs: JournalRecord[][] = [
    [{ t: 'create', name: 'INBOX', guid: G(1), uidValidity: 7, specialUse: null }],
    [{ t: 'append', mb: G(1), m: rec(1) }],
    [{ t: 'append', mb: G(1), m: rec(2) }, { t: 'flags', mb: G(1), modseq: 9, uids: [1], bits: [FLAG_SEEN], kw: [['k']] }],
    [{ t: 'expunge', mb: G(1), modseq: 10, uids: [2] }],
  ];
  await Promise.all(recs.map((batch) => { batch.forEach((r) => live.apply(r)); return w.append(batch); }));
  await w.close();
  writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from([9, 9, 9])]));
  const replayed = new UserIndex();
  for (const batch of await readJournal(path)) for (const r of batch) replayed.apply(r);
  const a = live.selectable('INBOX').index;
  const b = replayed.selectable('INBOX').index;
  assert.is(b.count, 1);
  assert.equal(b.meta(0), a.meta(0));
  assert.equal(b.meta(0).flags, ['\\Seen', 'k']);
  assert.is(b.highestModseq, 10);
  assert.is(readFileSync(path).length, recs.reduce((n, r) => n + encodeFrame(r).length, 0));
  // Replaying twice (journal over a snapshot that has it) changes nothing.
  for (const batch of await readJournal(path)) for (const r of batch) replayed.apply(r);
  assert.is(replayed.selectable('INBOX').index.count, 1);
});

test('100k messages: bundle loads into columns, lookups stay logarithmic', () => {
  const idx = fresh();
  const N = 100_000;
  for (let u = 1; u <= N; u++) idx.append(rec(u * 2));
  const buf = encodeMailboxBundle(idx);
  assert.ok(buf.length < N * 80, `bundle is ${buf.length} bytes`);
  const back = decodeMailboxBundle(buf);
  assert.is(back.count, N);
  // Columns are typed arrays, not one object per message.
  assert.ok(back.uids instanceof Uint32Array && back.modseqs instanceof Float64Array && back.guids instanceof Uint8Array);
  assert.is(back.keywords.filter((k) => k !== null).length, 0);
  assert.is(back.positionOf(2 * 77_777), 77_776);
  assert.is(back.positionOf(2 * 77_777 + 1), -1);
  assert.is(back.guidAt(N - 1), G(2 * N));
  assert.is(back.unseenCount(), N);
});

test.run();
