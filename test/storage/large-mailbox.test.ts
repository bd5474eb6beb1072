/** A 100k-message mailbox loads from its bundle alone (no message objects listed or read). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { MailboxIndex } from '../../core/index/mailbox-index.ts';
import { encodeMailboxBundle, encodeRootBundle } from '../../core/index/bundle.ts';
import { bundleKey } from '../../core/storage/keys.ts';
import { FLAG_SEEN } from '../../core/index/flags.ts';
import { testConfig } from './helpers.ts';

test('100k messages: open, status, select, store, expunge on a bundle-loaded mailbox', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const N = 100_000;
  const inboxGuid = 'a'.repeat(32);
  const idx = new MailboxIndex({ guid: inboxGuid, uidValidity: 1234, uidNext: 1, highestModseq: 1, firstRecentUid: N + 1 }, N);
  for (let u = 1; u <= N; u++) {
    idx.append({
      uid: u, guid: u.toString(16).padStart(32, '0'), bits: u % 3 === 0 ? FLAG_SEEN : 0, keywords: u === 5 ? ['five'] : [],
      internalDate: u * 1000, saveDate: u * 1000, size: 1000 + (u % 10), modseq: 2, pop3Uidl: u.toString(16).padStart(32, '0'),
    });
  }
  const mbKey = bundleKey('big', inboxGuid);
  await objects.put(mbKey, encodeMailboxBundle(idx));
  await objects.put(bundleKey('big', 'root'), encodeRootBundle({
    v: 1, gen: 0, bundles: { [inboxGuid]: mbKey },
    root: { lastUidValidity: 1234, subscriptions: ['INBOX'], mailboxes: [{ name: 'INBOX', guid: inboxGuid, specialUse: null, noSelect: false }] },
  }));

  const provider = createMailStore({ config, objects });
  const store = await provider.openUser('big');
  const st = await store.status('INBOX');
  assert.is(st.messages, N);
  assert.is(st.uidValidity, 1234);
  assert.is(st.unseen, N - Math.floor(N / 3));
  assert.is(st.recent, 0);
  const v = await store.openMailbox('INBOX', { readOnly: false });
  assert.is(v.count(), N);
  assert.is(v.seqOfUid(77_777), 77_777);
  assert.equal(v.meta(5).flags, ['five']);
  const r = await v.store([10, 20, 30], 'add', ['\\Deleted']);
  assert.equal(r.changed, [10, 20, 30]);
  assert.equal(await v.expunge(), [10, 20, 30]);
  assert.equal(v.sync().expunged, [30, 20, 10]);
  assert.is(v.count(), N - 3);
  assert.is((await store.append('INBOX', Buffer.from('Subject: new\r\n\r\nx\r\n'))).uid, N + 1);
  await v.close();
  await store.release();
  await provider.close();

  const p2 = createMailStore({ config, objects });
  const s2 = await p2.openUser('big');
  assert.is((await s2.status('INBOX')).messages, N - 2);
  await s2.release();
  await p2.close();
});

test.run();
