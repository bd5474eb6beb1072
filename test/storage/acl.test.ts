/** ACL rights arithmetic (RFC 4314 2): owner, anyone, negative rights, obsolete c/d, modifiers. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALL_RIGHTS, canonicalRights, effectiveRights, modifyRights } from '../../core/storage/acl.ts';
import { createMemoryStore } from '../../core/storage/drivers/memory.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { testConfig } from './helpers.ts';

test('canonical rights: order, duplicates, c and d, unknown letters', () => {
  assert.is(canonicalRights('arl'), 'lra');
  assert.is(canonicalRights('llrr'), 'lr');
  assert.is(canonicalRights('c'), 'kx');
  assert.is(canonicalRights('d'), 'xte');
  assert.is(canonicalRights(''), '');
  assert.is(canonicalRights('lz'), null);
  assert.is(canonicalRights('L'), null);
});

test('effective rights: owner all; identifier plus anyone minus negatives', () => {
  const acl = new Map([['bob', 'lrw'], ['anyone', 'l'], ['-bob', 'w'], ['-anyone', 'r']]);
  assert.is(effectiveRights('alice', 'alice', acl), ALL_RIGHTS);
  assert.is(effectiveRights('alice', 'bob', acl), 'l');
  assert.is(effectiveRights('alice', 'carol', acl), 'l');
  assert.is(effectiveRights('alice', 'carol', new Map()), '');
  // Without l a user must not see the mailbox at all.
  assert.not.ok(effectiveRights('alice', 'dave', new Map([['anyone', 'r'], ['-dave', 'l']])).includes('l'));
});

test('modifiers: + adds, - removes, bare replaces, bad letters null', () => {
  assert.is(modifyRights('lr', '+wi'), 'lrwi');
  assert.is(modifyRights('lrwi', '-rw'), 'li');
  assert.is(modifyRights('lrwi', 'a'), 'a');
  assert.is(modifyRights('lr', '+q'), null);
});

test('the store keeps entries per mailbox and answers myRights for any identifier', async () => {
  const provider = createMailStore({ config: testConfig(), objects: createMemoryStore() });
  const s = await provider.openUser('alice');
  await s.setAcl!('INBOX', 'bob', 'lr');
  await s.setAcl!('INBOX', '-bob', 'r');
  assert.is(await s.myRights!('INBOX'), ALL_RIGHTS);
  assert.is(await s.myRights!('INBOX', 'bob'), 'l');
  assert.is(await s.myRights!('Sent', 'bob'), '');
  await s.requireRights!('INBOX', 'alice', 'lrswipkxtea');
  await s.requireRights!('INBOX', 'bob', 'l');
  const code = (p: Promise<void>) => p.then(() => 'OK', (e: { code: string }) => e.code);
  assert.is(await code(s.requireRights!('INBOX', 'bob', 'r')), 'NO_PERMISSION');
  // No l: exactly what a mailbox that does not exist answers.
  assert.is(await code(s.requireRights!('Sent', 'bob', 'r')), 'NOT_FOUND');
  assert.is(await code(s.requireRights!('Nope', 'bob', 'r')), 'NOT_FOUND');
  assert.is(await code(s.requireRights!('Nope', 'alice', 'r')), 'OK');
  await s.setAcl!('INBOX', '-bob', null);
  assert.equal([...(await s.getAcl!('INBOX'))], [['bob', 'lr']]);
  await s.release();
  await provider.close();
});

test.run();
