/** searchView over a fake MailboxView: sequence order, lazy reads, `*` handling. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { searchView } from '../../core/search/search-view.ts';
import type { MailboxView, MessageMeta } from '../../core/storage/mail-store.ts';
import { fixture } from '../mail/helpers.ts';

function fakeView(messages: { uid: number; flags: string[]; raw: Buffer; recent?: boolean }[]) {
  const reads: number[] = [];
  const view = {
    count: () => messages.length,
    uidAt: (seq: number) => messages[seq - 1]!.uid,
    isRecent: (seq: number) => messages[seq - 1]!.recent ?? false,
    meta: (seq: number): MessageMeta => {
      const m = messages[seq - 1]!;
      return { uid: m.uid, guid: 'g' + m.uid, flags: m.flags, internalDate: 0, saveDate: 0, size: m.raw.length, modseq: 1, pop3Uidl: 'u' };
    },
    read: async (seq: number) => {
      reads.push(seq);
      return messages[seq - 1]!.raw;
    },
  } as unknown as MailboxView;
  return { view, reads };
}

const messages = [
  { uid: 2, flags: ['\\Seen'], raw: fixture('simple.eml') },
  { uid: 5, flags: [], raw: fixture('alternative.eml'), recent: true },
  { uid: 9, flags: [], raw: fixture('encoded-words.eml') },
];

test('metadata keys read nothing', async () => {
  const { view, reads } = fakeView(messages);
  assert.equal(await searchView(view, { type: 'flag', flag: '\\Seen', set: false }), [2, 3]);
  assert.equal(await searchView(view, { type: 'new' }), [2]);
  assert.equal(await searchView(view, { type: 'uid', set: [{ start: 10, end: '*' }] }), [3]);
  assert.equal(reads, []);
});

test('content keys read each candidate once, only where needed', async () => {
  const { view, reads } = fakeView(messages);
  const hits = await searchView(view, {
    type: 'and',
    keys: [
      { type: 'flag', flag: '\\Seen', set: false },
      { type: 'or', left: { type: 'body', value: 'köln' }, right: { type: 'header', name: 'subject', value: 'LUNCH' } },
    ],
  });
  assert.equal(hits, [2, 3]);
  assert.equal(reads, [2, 3]);
});

test('candidates restrict the scan', async () => {
  const { view } = fakeView(messages);
  assert.equal(await searchView(view, { type: 'all' }, { candidates: [3, 1, 7] }), [1, 3]);
});

test('empty mailbox', async () => {
  const { view } = fakeView([]);
  assert.equal(await searchView(view, { type: 'all' }), []);
});

test.run();
