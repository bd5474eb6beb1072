/** Quota usage (what GETQUOTA reports and the store enforces) stays exact across expunges and restarts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import type { Config } from '../../core/config/schema.ts';
import { msg, testConfig } from './helpers.ts';

function open(config: Config) {
  return createMailStore({ config, objects: createFsStore(join(config.home, 'storage')) });
}

test('usage follows appends, copies, expunges and a restart; the limit applies again after it', async () => {
  const config = testConfig({ quota: { messages: 3 } });
  const a = open(config);
  const s = await a.openUser('dave');
  await s.append('INBOX', msg('one'));
  await s.append('INBOX', msg('two'));
  await s.createMailbox('Keep');
  const v = await s.openMailbox('INBOX', { readOnly: false });
  await v.copy([1], 'Keep');
  const full = await s.usage();
  assert.is(full.messages, 3);
  assert.is(full.bytes, msg('one').length * 2 + msg('two').length);
  await s.append('INBOX', msg('four')).then(
    () => assert.unreachable('over quota'),
    (err: unknown) => assert.ok(isStorageError(err, 'OVER_QUOTA')),
  );
  await v.store([2], 'add', ['\\Deleted']);
  await v.expunge();
  await v.close();
  const after = await s.usage();
  assert.equal(after, { messages: 2, bytes: msg('one').length * 2 });
  await s.release();
  await a.close();

  const b = open(config);
  const s2 = await b.openUser('dave');
  assert.equal(await s2.usage(), after);
  await s2.append('INBOX', msg('five'));
  await s2.append('INBOX', msg('six')).then(
    () => assert.unreachable('over quota after restart'),
    (err: unknown) => assert.ok(isStorageError(err, 'OVER_QUOTA')),
  );
  await s2.deleteMailbox('Keep');
  assert.is((await s2.usage()).messages, 2);
  await s2.release();
  await b.close();
});

test.run();
