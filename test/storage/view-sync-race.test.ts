/**
 * A view that syncs while another session's EXPUNGE or MOVE waits for its journal fsync must see
 * the expunge at once: the index already lost the rows, so a view that kept them would later
 * shrink without EXPUNGE responses (found by the IMAP load bench: `BAD Invalid message sequence
 * number` on a FETCH inside the count the client had been told).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { join } from 'node:path';
import { msg, testConfig } from './helpers.ts';

async function twoViews() {
  const config = testConfig();
  const provider = createMailStore({ config, objects: createFsStore(join(config.home, 'storage')) });
  const a = await provider.openUser('eve');
  const b = await provider.openUser('eve');
  for (let i = 0; i < 3; i++) await a.append('INBOX', msg(`m${i}`));
  const va = await a.openMailbox('INBOX', { readOnly: false });
  const vb = await b.openMailbox('INBOX', { readOnly: false });
  return { provider, a, b, va, vb };
}

test('EXPUNGE: a view syncing before the expunge is durable already gets it', async () => {
  const { provider, a, b, va, vb } = await twoViews();
  await vb.store([vb.uidAt(2)], 'add', ['\\Deleted']);
  va.sync();
  const pending = vb.expunge(); // its journal fsync is still on its way
  const u = va.sync();
  assert.equal(u.expunged, [2]);
  assert.is(va.count(), 2);
  for (let seq = 1; seq <= va.count(); seq++) va.meta(seq); // no row the index lost
  assert.equal(await pending, [2]);
  await va.close();
  await vb.close();
  await a.release();
  await b.release();
  await provider.close();
});

test('MOVE: the source view syncing before the move is durable already gets the expunge', async () => {
  const { provider, a, b, va, vb } = await twoViews();
  const pending = vb.move([vb.uidAt(1)], 'Archive');
  const u = va.sync();
  assert.equal(u.expunged, [1]);
  assert.is(va.count(), 2);
  await pending;
  await va.close();
  await vb.close();
  await a.release();
  await b.release();
  await provider.close();
});

test.run();
