/**
 * Kill -9 while delivering over LMTP: after each restart, every message that got `250` is there
 * exactly once, and the index agrees with the message objects (every indexed GUID has an
 * object, every object is indexed). KILL9_ROUNDS sets how many kills (default 4).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmtpClient } from './lmtp-client.ts';
import { columbaCli, startColumbaProcess, waitExit, writeTestConfig } from './columba-process.ts';
import { configSchema } from '../../core/config/schema.ts';
import { createFsStore } from '../../core/storage/drivers/fs.ts';
import { createMailStore } from '../../core/storage/mail-store-impl.ts';
import { messagePrefix } from '../../core/storage/keys.ts';

const rounds = Number(process.env.KILL9_ROUNDS ?? 4);
const home = mkdtempSync(join(tmpdir(), 'columba-kill9-'));

/** Deliver until the connection dies; returns the ids that were acknowledged with 250. */
async function deliverLoop(port: number, prefix: string, acked: Set<string>, attempted: Set<string>): Promise<void> {
  let client: LmtpClient;
  try {
    client = await LmtpClient.connect(port);
  } catch {
    return;
  }
  for (let n = 0; ; n++) {
    const id = `${prefix}-${n}`;
    attempted.add(id);
    const body = 'x'.repeat(200 + ((n * 7919) % 5000));
    try {
      const replies = await client.deliver({
        from: 'load@example.org',
        to: ['kim@example.org'],
        message: `From: load@example.org\r\nTo: kim@example.org\r\nMessage-ID: <${id}@kill9>\r\nSubject: ${id}\r\n\r\n${body}\r\n`,
      });
      if (replies[0]?.startsWith('250')) acked.add(id);
      else return;
    } catch {
      return;
    }
  }
}

test('acknowledged LMTP deliveries survive kill -9 exactly once', async () => {
  writeTestConfig(home);
  await columbaCli(home, ['user', 'add', 'kim', '--password', 'pw', '--scheme', 'SSHA512']);
  const acked = new Set<string>();
  const attempted = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    const server = await startColumbaProcess(home);
    const loops = [0, 1, 2].map((i) => deliverLoop(server.ports.lmtp!, `r${round}l${i}`, acked, attempted));
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1200)));
    server.child.kill('SIGKILL');
    await waitExit(server.child);
    await Promise.all(loops);
  }
  assert.ok(acked.size > 0, 'some deliveries were acknowledged before the kills');

  // One clean start and stop: recovery runs, then the journals are flushed.
  const last = await startColumbaProcess(home);
  last.child.kill('SIGTERM');
  await waitExit(last.child);

  const config = configSchema.parse({ home, log: { level: 'silent' } });
  const objects = createFsStore(join(home, 'storage'));
  const provider = createMailStore({ config, objects });
  const store = await provider.openUser('kim');
  const seen = new Map<string, number>();
  const indexed = new Set<string>();
  for (const box of await store.listMailboxes()) {
    if (box.noSelect) continue;
    const view = await store.openMailbox(box.name, { readOnly: true });
    for (let seq = 1; seq <= view.count(); seq++) {
      indexed.add(view.meta(seq).guid);
      const raw = (await view.read(seq)).toString('latin1');
      const id = /Message-ID: <([^@]+)@kill9>/.exec(raw)?.[1];
      if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    await view.close();
  }
  await store.release();
  await provider.close();

  for (const id of acked) assert.is(seen.get(id), 1, `acknowledged ${id} must be stored exactly once`);
  for (const [id, count] of seen) {
    assert.ok(attempted.has(id), `unknown message ${id}`);
    assert.is(count, 1, `${id} stored ${count} times`);
  }
  const objectGuids = new Set<string>();
  for await (const key of objects.list(messagePrefix('kim'))) objectGuids.add(key.slice(key.lastIndexOf('/') + 1));
  assert.equal([...indexed].sort(), [...objectGuids].sort(), 'index and message objects agree');
  await objects.close();
  console.log(`kill9: ${rounds} kills, ${attempted.size} attempted, ${acked.size} acknowledged, ${seen.size} stored`);
});

test.after(() => rmSync(home, { recursive: true, force: true }));
test.run();
