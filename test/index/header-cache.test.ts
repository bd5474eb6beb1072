/** The index's header cache: extraction, bundles (new and old), journal records, restarts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { envelopeFields, extractCachedHeaders, holdsEnvelope, parseCachedHeaders } from '../../core/index/header-cache.ts';
import { envelope } from '../../core/mail/envelope.ts';
import { parseHeaderBlock } from '../../core/mail/headers.ts';
import { MailboxIndex, type IndexRecord } from '../../core/index/mailbox-index.ts';
import { decodeMailboxBundle, encodeMailboxBundle } from '../../core/index/bundle.ts';
import { UserIndex } from '../../core/index/user-index.ts';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import type { Config } from '../../core/config/schema.ts';
import { rebuildUser } from '../../core/storage/rebuild.ts';
import { messageKey } from '../../core/storage/keys.ts';
import { testConfig } from '../storage/helpers.ts';

const GUID = 'ab'.repeat(16);
const rec = (uid: number, hc?: string | null): IndexRecord => ({
  uid, guid: GUID, bits: 0, keywords: [], internalDate: 1, saveDate: 1, size: 10, modseq: uid + 1, pop3Uidl: GUID,
  ...(hc !== undefined ? { hc } : {}),
});

test('extract keeps the original bytes of the cached fields only', () => {
  const raw = Buffer.concat([
    Buffer.from('Received: x\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\tmore\r\nX-Spam: no\r\nFrom: '),
    Buffer.from([0xe9, 0x74, 0xe9]), // Latin-1 bytes, not UTF-8
    Buffer.from(' <a@b>\r\nto: t@x\r\n\r\nFrom: body@x\r\n'),
  ]);
  const block = extractCachedHeaders(raw)!;
  assert.is(block, Buffer.concat([
    Buffer.from(':e\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\tmore\r\nFrom: '), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from(' <a@b>\r\nto: t@x\r\n'),
  ]).toString('latin1'));
  const map = parseCachedHeaders(block);
  assert.equal([...map.keys()], ['subject', 'from', 'to']);
  assert.equal(map.get('subject'), ['=?UTF-8?Q?caf=C3=A9?=\tmore']);
  assert.equal(map.get('from'), ['\u00e9t\u00e9 <a@b>']);
  // A header that never ends (no blank line, no final CRLF) still gives a parsable block.
  assert.equal(parseCachedHeaders(extractCachedHeaders(Buffer.from('Subject: a\r\nDate: d'))!).get('date'), ['d']);
  assert.is(extractCachedHeaders(Buffer.from('X-A: 1\r\n\r\n')), ':e\r\n');
  assert.is(extractCachedHeaders(Buffer.from(`Subject: ${'x'.repeat(9000)}\r\n\r\n`)), null);
});

function sample(): MailboxIndex {
  const idx = new MailboxIndex({ guid: 'g', uidValidity: 5, uidNext: 1, highestModseq: 1, firstRecentUid: 1 });
  idx.append(rec(1, 'Subject: one\r\n'));
  idx.append(rec(2));
  idx.append(rec(3, ''));
  idx.append(rec(4, 'From: \u00e9\r\n'));
  return idx;
}

test('bundles carry the cache; rows without it stay empty', () => {
  const back = decodeMailboxBundle(encodeMailboxBundle(sample()));
  assert.equal(back.headerCache, ['Subject: one\r\n', null, '', 'From: \u00e9\r\n']);
  back.expunge([1], 9);
  assert.equal(back.headerCache, [null, '', 'From: \u00e9\r\n']);
});

test('an old bundle (no cache section) loads with the cache empty', () => {
  const idx = sample();
  const buf = encodeMailboxBundle(idx);
  const jlen = buf.readUInt32LE(4);
  const h = JSON.parse(buf.toString('utf8', 8, 8 + jlen)) as { hcBytes?: number; count: number };
  const cut = buf.length - (h.hcBytes! + h.count * 4);
  delete h.hcBytes;
  const json = Buffer.from(JSON.stringify(h));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const old = Buffer.concat([buf.subarray(0, 4), len, json, buf.subarray(8 + jlen, cut)]);
  const back = decodeMailboxBundle(old);
  assert.is(back.count, 4);
  assert.equal(back.headerCache, [null, null, null, null]);
  assert.is(back.uids[3], 4);
  // A truncated cache section is damage, not silently lost rows.
  assert.throws(() => decodeMailboxBundle(buf.subarray(0, buf.length - 1)));
});

test('journal records without the cache still apply; lazy fill only fills holes', () => {
  const u = new UserIndex();
  u.apply({ t: 'create', name: 'INBOX', guid: 'mb', uidValidity: 1, specialUse: null });
  u.apply(JSON.parse(JSON.stringify({ t: 'append', mb: 'mb', m: rec(1) })));
  u.apply({ t: 'append', mb: 'mb', m: rec(2, ':e\r\nSubject: s\r\n') });
  const idx = u.selectable('INBOX').index;
  assert.is(idx.cachedHeadersAt(0), null);
  idx.fillCachedHeaders(0, ':e\r\nSubject: lazy\r\n');
  idx.fillCachedHeaders(1, ':e\r\nSubject: other\r\n');
  assert.equal([idx.cachedHeadersAt(0), idx.cachedHeadersAt(1)], [':e\r\nSubject: lazy\r\n', ':e\r\nSubject: s\r\n']);
});

test('a block holds what ENVELOPE reads; a block made before Sender and Reply-To were kept does not say it does', () => {
  const raw = Buffer.from(
    'Received: x\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nFrom: A <a@example.org>\r\nSender: S <s@example.org>\r\n' +
      'Reply-To: R <r@example.org>,\r\n R2 <r2@example.org>\r\nTo: t@example.org\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n' +
      'In-Reply-To: <0@x>\r\nX-Other: y\r\n\r\nSender: body@x\r\n',
  );
  const block = extractCachedHeaders(raw)!;
  assert.ok(holdsEnvelope(block));
  const fromBlock = envelope({ headers: envelopeFields(block)! });
  assert.equal(fromBlock, envelope({ headers: parseHeaderBlock(raw, 0, raw.length).fields }));
  assert.ok(JSON.stringify(fromBlock).includes('r2'));
  // SEARCH still sees the same nine names (the mark line is no field).
  assert.equal([...parseCachedHeaders(block).keys()].filter((k) => k !== 'sender' && k !== 'reply-to'), ['date', 'from', 'to', 'subject', 'message-id', 'in-reply-to']);
  const old = 'From: A <a@example.org>\r\nSubject: hi\r\n';
  assert.not.ok(holdsEnvelope(old));
  assert.is(envelopeFields(old), null);
});

test('a lazy fill replaces a block made before it held the ENVELOPE fields, never a current one', () => {
  const u = new UserIndex();
  u.apply({ t: 'create', name: 'INBOX', guid: 'mb', uidValidity: 1, specialUse: null });
  u.apply({ t: 'append', mb: 'mb', m: rec(1, 'Subject: old\r\n') });
  u.apply({ t: 'append', mb: 'mb', m: rec(2, ':e\r\nSubject: new\r\n') });
  const idx = u.selectable('INBOX').index;
  idx.fillCachedHeaders(0, ':e\r\nSubject: old\r\n');
  idx.fillCachedHeaders(1, ':e\r\nSubject: other\r\n');
  assert.equal([idx.cachedHeadersAt(0), idx.cachedHeadersAt(1)], [':e\r\nSubject: old\r\n', ':e\r\nSubject: new\r\n']);
});

function open(config: Config) {
  return createMailStore({ config, objects: createFsStore(join(config.home, 'storage')) });
}

const message = (i: number): Buffer => Buffer.from(`From: u${i}@example.com\r\nSubject: number ${i}\r\n\r\nbody\r\n`);

async function cachedSubjects(config: Config, user: string): Promise<(string | undefined)[]> {
  const provider = open(config);
  const s = await provider.openUser(user);
  const v = await s.openMailbox('INBOX', { readOnly: true });
  const out: (string | undefined)[] = [];
  for (let seq = 1; seq <= v.count(); seq++) out.push(v.cachedHeaders!(seq)?.get('subject')?.[0]);
  await s.release();
  await provider.close();
  return out;
}

const want = [1, 2, 3, 4, 5, 6, 7].map((i) => `number ${i}`);

test('the cache survives a crash (journal replay)', async () => {
  const config = testConfig({ storage: { snapshotEveryChanges: 100000 } });
  const store = await open(config).openUser('hc');
  for (let i = 1; i <= 7; i++) await store.append('INBOX', message(i));
  // "kill -9": no release, no close.
  assert.equal(await cachedSubjects(config, 'hc'), want);
});

test('the cache survives a clean restart (snapshot bundles) and the one after it', async () => {
  const config = testConfig({ storage: { snapshotEveryChanges: 3 } });
  const provider = open(config);
  const store = await provider.openUser('hc');
  for (let i = 1; i <= 7; i++) await store.append('INBOX', message(i));
  await store.release();
  await provider.close();
  assert.equal(await cachedSubjects(config, 'hc'), want);
  assert.equal(await cachedSubjects(config, 'hc'), want);
});

test('messages indexed without the cache (rebuild) get it on their first read', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const provider = createMailStore({ config, objects });
  const store = await provider.openUser('lazy');
  await store.append('INBOX', message(1));
  await store.append('INBOX', message(2));
  await store.release();
  await provider.close();
  await rebuildUser(objects, config, 'lazy');
  const p2 = createMailStore({ config, objects });
  const s2 = await p2.openUser('lazy');
  const v = await s2.openMailbox('INBOX', { readOnly: true });
  assert.equal([v.cachedHeaders!(1), v.cachedHeaders!(2)], [null, null]);
  await v.read(2);
  assert.is(v.cachedHeaders!(1), null);
  assert.equal(v.cachedHeaders!(2)?.get('from'), ['u2@example.com']);
  await s2.release();
  await p2.close();
});

test('FETCH ENVELOPE fields come from the index, without the message object', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const provider = createMailStore({ config, objects });
  const store = await provider.openUser('env');
  const raw = Buffer.from('From: A <a@example.org>\r\nReply-To: r@example.org\r\nSubject: from the index\r\n\r\nbody\r\n');
  const { guid } = await store.append('INBOX', raw);
  // Without the object a read fails, so a non-null answer can only come from the index.
  await objects.delete(messageKey('env', guid));
  const v = await store.openMailbox('INBOX', { readOnly: true });
  assert.is(await v.read(1).then(() => 'read', () => 'gone'), 'gone');
  assert.equal(envelope({ headers: v.envelopeFields!(1)! }), envelope({ headers: parseHeaderBlock(raw, 0, raw.length).fields }));
  await v.close();
  await store.release();
  await provider.close();
});

test.run();
