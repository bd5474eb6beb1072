/**
 * PROTOCOL-CORNERS (POP3): UIDL values are 1-70 printable characters, unique within the
 * maildrop and never reused. Copies share the stored object, so they must not share its UIDL;
 * a MOVE is the same message and keeps it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { msg, testConfig } from './helpers.ts';

function uidls(view: { count(): number; meta(seq: number): { pop3Uidl: string } }): string[] {
  const out: string[] = [];
  for (let seq = 1; seq <= view.count(); seq++) out.push(view.meta(seq).pop3Uidl);
  return out;
}

test('COPY into the same maildrop gives the copy its own UIDL; MOVE keeps it', async () => {
  const store = createMailStore({ config: testConfig({ storage: { driver: 'memory' } }), objects: createMemoryStore() });
  const user = await store.openUser('alice');
  try {
    await user.append('INBOX', msg('one'));
    const view = await user.openMailbox('INBOX', { readOnly: false });
    await view.copy([view.uidAt(1)], 'INBOX');
    await view.copy([view.uidAt(1)], 'Trash');
    await view.sync();
    const [original, copy] = uidls(view);
    assert.ok(original && copy);
    assert.is.not(copy, original);
    for (const u of [original, copy]) assert.match(u, /^[\x21-\x7e]{1,70}$/);
    // Back from Trash by COPY: a third UIDL; a MOVE keeps the moved message's UIDL.
    const trash = await user.openMailbox('Trash', { readOnly: false });
    const trashUidl = trash.meta(1).pop3Uidl;
    await trash.copy([trash.uidAt(1)], 'INBOX');
    await view.sync();
    assert.is(new Set(uidls(view)).size, 3);
    const moved = await user.openMailbox('Archive', { readOnly: false });
    await trash.move([trash.uidAt(1)], 'Archive');
    await moved.sync();
    assert.is(moved.meta(1).pop3Uidl, trashUidl);
    await trash.close();
    await moved.close();
    await view.close();
  } finally {
    await user.release();
  }
});

test.run();
