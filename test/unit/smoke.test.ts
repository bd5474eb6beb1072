import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configSchema } from '../../core/config/schema.ts';

test('config defaults parse from an empty object', () => {
  const c = configSchema.parse({});
  assert.is(c.listen.imap, 1143);
  assert.is(c.limits.imapNonSyncLiteralSize, 4096);
});

test('unknown config key is refused', () => {
  assert.throws(() => configSchema.parse({ listen: { imapp: 1 } }));
});

test.run();
