/** METADATA entries: immutable objects under meta/, newest wins, kept across a restart and a RENAME. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { metadataPrefix } from '../../core/storage/metadata-store.ts';
import type { Config } from '../../core/config/schema.ts';
import { testConfig } from './helpers.ts';

function open(config: Config) {
  const objects = createFsStore(join(config.home, 'storage'));
  return { objects, provider: createMailStore({ config, objects }) };
}

const text = (m: Map<string, Buffer>) => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));

test('entries survive a restart; newest wins; every change is its own object', async () => {
  const config = testConfig({ limits: { metadataEntries: 2, metadataValueSize: 8 } });
  const a = open(config);
  const s = await a.provider.openUser('erin');
  await s.setMetadata!(null, [{ entry: '/private/x', value: Buffer.from('1') }]);
  await s.setMetadata!(null, [{ entry: '/private/x', value: Buffer.from('2') }]);
  await s.setMetadata!('INBOX', [{ entry: '/shared/c', value: Buffer.from('hi') }, { entry: '/private/d', value: Buffer.from('yo') }]);
  await s.setMetadata!('INBOX', [{ entry: '/private/d', value: null }]);
  await s.setAcl!('INBOX', '__proto__', 'lr');
  await s.createMailbox('A');
  await s.setMetadata!('A', [{ entry: '/private/e', value: Buffer.from('e') }]);
  await s.renameMailbox('A', 'B');
  await s.setMetadata!('INBOX', [{ entry: '/private/big', value: Buffer.from('123456789') }]).then(
    () => assert.unreachable('too big'),
    (err: unknown) => assert.ok(isStorageError(err, 'TOO_BIG')),
  );
  await s.setMetadata!('INBOX', [{ entry: '/private/1', value: Buffer.from('1') }, { entry: '/private/2', value: Buffer.from('2') }]).then(
    () => assert.unreachable('too many'),
    (err: unknown) => assert.ok(isStorageError(err, 'LIMIT')),
  );
  await s.getMetadata!('Nope').then(
    () => assert.unreachable('missing mailbox'),
    (err: unknown) => assert.ok(isStorageError(err, 'NOT_FOUND')),
  );
  await s.release();
  await a.provider.close();
  let objects = 0;
  for await (const _ of a.objects.list(metadataPrefix('erin'))) objects++;
  assert.is(objects, 6);

  const b = open(config);
  const s2 = await b.provider.openUser('erin');
  assert.equal(text(await s2.getMetadata!(null)), { '/private/x': '2' });
  assert.equal(text(await s2.getMetadata!('INBOX')), { '/shared/c': 'hi' });
  assert.equal(text(await s2.getMetadata!('B')), { '/private/e': 'e' });
  assert.equal([...(await s2.getAcl!('INBOX'))], [['__proto__', 'lr']]);
  await s2.release();
  await b.provider.close();
});

test.run();
