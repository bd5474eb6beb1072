/**
 * The user-level change feed (UserMailStore.onMailboxChange): every kind of change is reported
 * once, with the mailbox's name, to every listener of the user, and unsubscribing stops it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configSchema } from '../../core/config/schema.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';

const MSG = Buffer.from('Subject: x\r\n\r\nbody\r\n');

async function open() {
  const config = configSchema.parse({ storage: { driver: 'memory' } });
  const provider = createMailStore({ config, objects: createMemoryStore() });
  const a = await provider.openUser('alice');
  const b = await provider.openUser('alice');
  const seen: string[] = [];
  const stop = b.onMailboxChange!((name, kind, oldName) => seen.push(oldName ? `${kind} ${oldName}>${name}` : `${kind} ${name}`));
  return { provider, a, b, seen, stop };
}

test('messages, flags, expunge, copy and move are reported by mailbox name', async () => {
  const { provider, a, b, seen, stop } = await open();
  await a.append('INBOX', MSG);
  const view = await a.openMailbox('INBOX', { readOnly: false });
  await view.store([1], 'add', ['\\Deleted']);
  await view.store([1], 'add', ['\\Deleted']); // no change: nothing reported
  await view.copy([1], 'Trash');
  await view.move([1], 'Archive');
  await view.close();
  const trash = await a.openMailbox('Trash', { readOnly: false });
  await trash.expunge();
  await trash.close();
  assert.equal(seen, ['messages INBOX', 'flags INBOX', 'messages Trash', 'messages Archive', 'messages INBOX', 'messages Trash']);
  stop();
  await a.release();
  await b.release();
  await provider.close();
});

test('create (with parents), rename, delete and subscriptions; unsubscribe stops the feed', async () => {
  const { provider, a, b, seen, stop } = await open();
  await a.createMailbox('Lists/Work');
  await a.renameMailbox('Lists/Work', 'Job');
  await a.setSubscribed('Job', true);
  await a.setSubscribed('Job', true); // already: nothing
  await a.deleteMailbox('Job');
  assert.equal(seen, ['list Lists', 'list Lists/Work', 'list Lists/Work>Job', 'subscription Job', 'list Job']);
  stop();
  await a.append('INBOX', MSG);
  assert.is(seen.length, 5);
  await a.release();
  await b.release();
  await provider.close();
});

test('a rename reports the children that moved with the mailbox', async () => {
  const { provider, a, b, seen, stop } = await open();
  await a.createMailbox('P/Q/R');
  seen.length = 0;
  await a.renameMailbox('P', 'S');
  assert.equal(seen, ['list P>S', 'list P/Q>S/Q', 'list P/Q/R>S/Q/R']);
  stop();
  await a.release();
  await b.release();
  await provider.close();
});

test('a throwing listener does not fail the change', async () => {
  const { provider, a, b, seen, stop } = await open();
  const stopBad = a.onMailboxChange!(() => {
    throw new Error('boom');
  });
  await a.append('INBOX', MSG);
  assert.equal(seen, ['messages INBOX']);
  stopBad();
  stop();
  await a.release();
  await b.release();
  await provider.close();
});

test.run();
