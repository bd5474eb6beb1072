import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { rebuildUser } from '../../core/storage/rebuild.ts';
import { msg, testConfig } from './helpers.ts';

test('rebuild restores mailboxes and messages from the objects alone', async () => {
  const config = testConfig();
  const objects = createFsStore(join(config.home, 'storage'));
  const provider = createMailStore({ config, objects });
  const s = await provider.openUser('frank');
  await s.createMailbox('Work');
  await s.append('INBOX', msg('a'), { flags: ['\\Seen'] });
  await s.append('INBOX', msg('b'));
  await s.append('Work', msg('c'), { flags: ['urgent'], internalDate: new Date('2020-01-02T03:04:05Z') });
  await s.release();
  await provider.close();

  const r = await rebuildUser(objects, config, 'frank');
  assert.is(r.messages, 3);
  assert.is(r.objects, 3);

  const p2 = createMailStore({ config, objects });
  const s2 = await p2.openUser('frank');
  const names = (await s2.listMailboxes()).map((m) => m.name);
  assert.ok(names.includes('Work') && names.includes('Sent'));
  const inbox = await s2.status('INBOX');
  assert.is(inbox.messages, 2);
  assert.is(inbox.unseen, 1);
  const w = await s2.openMailbox('Work', { readOnly: true });
  assert.is(w.count(), 1);
  assert.equal(w.meta(1).flags, ['urgent']);
  assert.is(w.meta(1).internalDate, Date.parse('2020-01-02T03:04:05Z'));
  assert.ok((await w.read(1)).toString().includes('Subject: c'));
  await s2.release();
  await p2.close();

  // Rebuilding twice gives the same content, never duplicates.
  const again = await rebuildUser(objects, config, 'frank');
  assert.is(again.messages, 3);
});

test.run();
