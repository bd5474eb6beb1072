/** FETCH ENVELOPE answers from the index's header cache when it can, and reads the message only when not. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseHeaderBlock } from '../../core/mail/headers.ts';
import type { MailboxView } from '../../core/storage/mail-store.ts';
import { fetchItemCache } from '../../protocols/imap/fetch-cache.ts';
import { MessageSource, renderItem } from '../../protocols/imap/fetch-items.ts';

const raw = Buffer.from('From: A <a@example.org>\r\nSubject: cached\r\n\r\nbody\r\n');

function view(guid: string, cached: boolean): { view: MailboxView; reads: () => number } {
  let reads = 0;
  const v = {
    meta: () => ({ guid }),
    read: async () => (reads++, raw),
    envelopeFields: () => (cached ? parseHeaderBlock(raw, 0, raw.length).fields : null),
  } as unknown as MailboxView;
  return { view: v, reads: () => reads };
}

async function envelopeOf(v: MailboxView): Promise<string> {
  return (await renderItem(v, 1, { type: 'ENVELOPE' } as never, new MessageSource(v, 1))).join('');
}

test('with the fields in the index, no read', async () => {
  fetchItemCache.clear();
  const a = view('env-index-1', true);
  const b = view('env-index-2', false);
  const fromIndex = await envelopeOf(a.view);
  assert.is(a.reads(), 0);
  assert.is(await envelopeOf(b.view), fromIndex);
  assert.is(b.reads(), 1);
  assert.ok(fromIndex.includes('"cached"'));
});

test.run();
