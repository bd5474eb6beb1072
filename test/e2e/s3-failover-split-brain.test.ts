/**
 * Split brain on purpose: two backends (`columba serve`, own homes, same s3rver bucket) serve
 * the same user at once: deliveries, APPENDs, flag changes and an expunge on both, neither
 * seeing the other. After both stop cleanly (each uploads its index), a fresh backend merges
 * the heads: no acknowledged message lost or doubled, every flag change and the expunges kept,
 * UIDs unique, UIDVALIDITY unchanged, the index agrees with the objects.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfig } from '../../core/config/load.ts';
import { addPasswdUser } from '../../core/auth/passwd-file.ts';
import { hashPassword } from '../../core/auth/schemes.ts';
import { LmtpClient } from './lmtp-client.ts';
import { startColumbaProcess, waitExit, writeTestConfig, type ColumbaProcess } from './columba-process.ts';
import { Imap, testMessage, uploadedSince, viewFromFreshBackend } from './s3-failover-clients.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startS3rver, type S3rverHandle } from '../storage/s3rver-process.ts';

const homes: string[] = [];
let s3: S3rverHandle;
let proxy: FaultProxy;

async function startBackend(): Promise<ColumbaProcess> {
  const home = mkdtempSync(join(tmpdir(), 'columba-split-'));
  homes.push(home);
  writeTestConfig(
    home,
    `workers:\n  threads: 1\nstorage:\n  driver: s3\n  s3:\n    endpoint: ${proxy.endpoint}\n    bucket: ${s3.bucket}\n` +
      `    accessKeyId: S3RVER\n    secretAccessKey: S3RVER\n    forcePathStyle: true\n    sortListing: true\n`,
  );
  await addPasswdUser(buildConfig({ home }).auth.passwdFile!, 'sam', await hashPassword('pw', 'SSHA512'));
  return startColumbaProcess(home);
}
async function stop(p: ColumbaProcess): Promise<void> {
  p.child.kill('SIGTERM');
  await waitExit(p.child);
}

async function deliverAll(port: number, ids: string[], acked: Set<string>): Promise<void> {
  const c = await LmtpClient.connect(port);
  for (const id of ids) {
    const [r] = await c.deliver({ from: 'a@example.org', to: ['sam@example.org'], message: testMessage(id) });
    if (r?.startsWith('250')) acked.add(id);
  }
  await c.quit();
}

test.before(async () => {
  s3 = await startS3rver('splitbrain');
  proxy = await startFaultProxy(s3.endpoint);
});
test.after(async () => {
  await proxy?.close();
  await s3?.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

test('two backends serving one user at once: after both stop, the merge loses nothing', async () => {
  const acked = new Set<string>();
  let uidValidity = 0;
  const a = await startBackend();
  let b: ColumbaProcess | null = null;
  try {
    // Common history: four messages, uploaded, seen by both.
    const mark = proxy.log.length;
    await deliverAll(a.ports.lmtp!, ['base-1', 'base-2', 'base-3', 'base-4'], acked);
    const pre = await Imap.login(a.ports.imap!, 'sam');
    uidValidity = Number(/UIDVALIDITY (\d+)/.exec((await pre.run('STATUS INBOX (UIDVALIDITY)')).lines[0]!)![1]);
    await pre.close();
    await uploadedSince(proxy, 'sam', mark);
    b = await startBackend();

    // Both at once, each blind to the other.
    const onA = await Imap.login(a.ports.imap!, 'sam');
    const onB = await Imap.login(b.ports.imap!, 'sam');
    await onA.run('SELECT INBOX');
    await onB.run('SELECT INBOX');
    assert.ok((await onA.run('UID STORE 1 +FLAGS.SILENT (\\Flagged $FromA)')).ok);
    assert.ok((await onB.run('UID STORE 2 +FLAGS.SILENT (\\Answered $FromB)')).ok);
    assert.ok((await onA.run('UID STORE 3 +FLAGS.SILENT (\\Deleted)')).ok);
    assert.ok((await onA.run('UID EXPUNGE 3')).ok);
    for (const [imap, side] of [[onA, 'a'], [onB, 'b']] as const) {
      for (let i = 1; i <= 3; i++) if ((await imap.append('INBOX', testMessage(`append-${side}-${i}`))).ok) acked.add(`append-${side}-${i}`);
    }
    await Promise.all([
      deliverAll(a.ports.lmtp!, ['lmtp-a-1', 'lmtp-a-2', 'lmtp-a-3'], acked),
      deliverAll(b.ports.lmtp!, ['lmtp-b-1', 'lmtp-b-2', 'lmtp-b-3'], acked),
    ]);
    await onA.close();
    await onB.close();
  } finally {
    await stop(a);
    if (b) await stop(b);
  }
  assert.is(acked.size, 4 + 6 + 6, 'every delivery and APPEND was acknowledged');

  const seen = await viewFromFreshBackend(
    { endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, sortListing: true },
    'sam',
  );
  const inbox = seen.messages.filter((m) => m.mailbox === 'INBOX');
  const byId = new Map(inbox.map((m) => [m.id!, m]));
  const expected = [...acked].filter((id) => id !== 'base-3').sort();
  assert.equal(inbox.map((m) => m.id).sort(), expected, 'every acknowledged message once; the expunged one gone');
  assert.is(new Set(inbox.map((m) => m.uid)).size, inbox.length, 'UIDs are unique');
  assert.ok(byId.get('base-1')!.flags.includes('\\Flagged') && byId.get('base-1')!.flags.includes('$FromA'), `A's flags: ${byId.get('base-1')!.flags}`);
  assert.ok(byId.get('base-2')!.flags.includes('\\Answered') && byId.get('base-2')!.flags.includes('$FromB'), `B's flags: ${byId.get('base-2')!.flags}`);
  assert.equal([...new Set(seen.messages.map((m) => m.guid))].sort(), [...seen.objects].sort(), 'the index agrees with the objects');
  assert.is(seen.uidValidity.get('INBOX'), uidValidity, 'UIDVALIDITY unchanged');
});

test.run();
