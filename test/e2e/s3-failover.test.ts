/**
 * kill -9 failover on a shared bucket. Backend A (`columba serve`, own COLUMBA_HOME, s3 driver
 * on s3rver behind the fault proxy, which holds every index PUT 300 ms so uploads take long) is
 * killed while it delivers over LMTP (dan), takes APPENDs (eve), expunges (fay) and uploads the
 * index of flag changes (gus); the kill waits until an index PUT is on its way. Then a fresh
 * backend B (own empty metacache, same bucket) serves the users:
 * - every acknowledged delivery/APPEND is there exactly once, nothing unknown is there;
 * - UIDVALIDITY is the one clients saw on A;
 * - expunges and flag changes that A had uploaded (the upload interval had passed) are kept;
 * - the index agrees with the objects (every indexed GUID has its object and vice versa) and
 *   every message reads in full.
 * Last, backend B as a `columba serve` process answers IMAP STATUS with the same counts and
 * UIDVALIDITY. FAILOVER_ROUNDS (default 1) repeats kill and takeover, each round a new backend.
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
import { Imap, testMessage, uploadedSince, viewFromFreshBackend, type UserSeen } from './s3-failover-clients.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { startS3rver, type S3rverHandle } from '../storage/s3rver-process.ts';

const rounds = Number(process.env.FAILOVER_ROUNDS ?? 1);
const AFTER_CHANGE_MS = 200;
const USERS = ['dan', 'eve', 'fay', 'gus'];
const homes: string[] = [];
let s3: S3rverHandle;
let proxy: FaultProxy;

const s3Direct = () => ({
  endpoint: s3.endpoint,
  region: 'us-east-1',
  bucket: s3.bucket,
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
  sortListing: true,
});

/** A new backend with its own home on the shared bucket (through the proxy). */
async function startBackend(): Promise<ColumbaProcess> {
  const home = mkdtempSync(join(tmpdir(), 'columba-failover-a-'));
  homes.push(home);
  writeTestConfig(
    home,
    `workers:\n  threads: 1\nstorage:\n  driver: s3\n  upload:\n    everyDeliveries: 5\n    afterChangeMs: ${AFTER_CHANGE_MS}\n` +
      `  s3:\n    endpoint: ${proxy.endpoint}\n    bucket: ${s3.bucket}\n    accessKeyId: S3RVER\n    secretAccessKey: S3RVER\n` +
      `    forcePathStyle: true\n    sortListing: true\n    requestTimeoutMs: 5000\n`,
  );
  const passwd = buildConfig({ home }).auth.passwdFile!;
  const hash = await hashPassword('pw', 'SSHA512');
  for (const u of USERS) await addPasswdUser(passwd, u, hash);
  return startColumbaProcess(home);
}

/** What the clients were told; the takeover is checked against it. */
const acked = { dan: new Set<string>(), eve: new Set<string>() };
const attempted = new Set<string>();
const fayIds: string[] = [];
const fayExpungedUploaded = new Set<string>();
const fayExpungedMaybe = new Set<string>();
const gusKeywords: { uid: number; keyword: string }[] = [];
const fayUidToId = new Map<number, string>();
const uidValidity = new Map<string, number>();
let serial = 0;

async function deliver(port: number, user: string, id: string): Promise<boolean> {
  const c = await LmtpClient.connect(port);
  try {
    attempted.add(id);
    const [r] = await c.deliver({ from: 'a@example.org', to: [`${user}@example.org`], message: testMessage(id) });
    return r?.startsWith('250') ?? false;
  } finally {
    await c.quit();
  }
}

async function uidsByMessageId(imap: Imap): Promise<Map<string, number>> {
  const r = await imap.run('UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])');
  const out = new Map<string, number>();
  let uid = 0;
  for (const l of r.lines) {
    const u = /UID (\d+)/.exec(l);
    if (u) uid = Number(u[1]);
    const id = /Message-ID: <([^@]+)@failover>/i.exec(l);
    if (id) out.set(id[1]!, uid);
  }
  return out;
}

/** Before any kill: mail for fay and gus, and the UIDVALIDITY every user's INBOX shows. */
async function prepare(a: ColumbaProcess): Promise<void> {
  for (let i = 0; i < 6 + 6 * rounds; i++) {
    const id = `fay-${i}`;
    assert.ok(await deliver(a.ports.lmtp!, 'fay', id));
    fayIds.push(id);
  }
  for (let i = 0; i < 4; i++) assert.ok(await deliver(a.ports.lmtp!, 'gus', `gus-${i}`));
  const mark = proxy.log.length;
  for (const u of USERS) {
    const imap = await Imap.login(a.ports.imap!, u);
    const st = await imap.run('STATUS INBOX (UIDVALIDITY)');
    uidValidity.set(u, Number(/UIDVALIDITY (\d+)/.exec(st.lines[0]!)![1]));
    await imap.close();
  }
  // dan and eve were created by that login; their mailbox lists went up at logout.
  for (const u of ['dan', 'eve']) await uploadedSince(proxy, u, mark);
}

/** Changes A acknowledges and then uploads (the upload interval passes before the kill). */
async function changesThatMustSurvive(a: ColumbaProcess, round: number): Promise<void> {
  // Marks are taken after login and SELECT: an upload the load itself started (a merge of
  // several heads) must not pass for the upload of the changes.
  const fay = await Imap.login(a.ports.imap!, 'fay');
  await fay.run('SELECT INBOX');
  const uids = await uidsByMessageId(fay);
  const fayMark = proxy.log.length;
  for (const id of fayIds.filter((i) => uids.has(i) && !fayExpungedMaybe.has(i)).slice(0, 2)) {
    await fay.run(`UID STORE ${uids.get(id)} +FLAGS.SILENT (\\Deleted)`);
    if ((await fay.run(`UID EXPUNGE ${uids.get(id)}`)).ok) fayExpungedUploaded.add(id);
  }
  await fay.close();
  const gus = await Imap.login(a.ports.imap!, 'gus');
  await gus.run('SELECT INBOX');
  const gusMark = proxy.log.length;
  const keyword = `$Round${round}`;
  assert.ok((await gus.run(`UID STORE 1:2 +FLAGS.SILENT (${keyword})`)).ok);
  gusKeywords.push({ uid: 1, keyword }, { uid: 2, keyword });
  await gus.close();
  await uploadedSince(proxy, 'fay', fayMark);
  await uploadedSince(proxy, 'gus', gusMark);
}

/** Load until the backend dies: each loop ends on the first failure. */
function loadUntilKilled(a: ColumbaProcess, round: number): Promise<unknown>[] {
  const lmtpLoop = async (lane: number): Promise<void> => {
    const c = await LmtpClient.connect(a.ports.lmtp!);
    for (;;) {
      const id = `dan-${round}-${lane}-${++serial}`;
      attempted.add(id);
      const [r] = await c.deliver({ from: 'a@example.org', to: ['dan@example.org'], message: testMessage(id, 'x'.repeat(serial * 37 % 3000)) });
      if (!r?.startsWith('250')) return;
      acked.dan.add(id);
    }
  };
  const appendLoop = async (): Promise<void> => {
    const imap = await Imap.login(a.ports.imap!, 'eve');
    for (;;) {
      const id = `eve-${round}-${++serial}`;
      attempted.add(id);
      if (!(await imap.append('INBOX', testMessage(id))).ok) return;
      acked.eve.add(id);
    }
  };
  const expungeLoop = async (): Promise<void> => {
    const imap = await Imap.login(a.ports.imap!, 'fay');
    await imap.run('SELECT INBOX');
    const uids = await uidsByMessageId(imap);
    for (const [id, uid] of uids) fayUidToId.set(uid, id);
    for (const [id, uid] of uids) {
      if (fayExpungedMaybe.size >= 4 * (round + 1)) break; // leave some for the next rounds
      fayExpungedMaybe.add(id); // from the moment it is sent, either outcome is allowed
      await imap.run(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`);
      await imap.run(`UID EXPUNGE ${uid}`);
    }
  };
  const flagLoop = async (): Promise<void> => {
    const imap = await Imap.login(a.ports.imap!, 'gus');
    await imap.run('SELECT INBOX');
    for (let i = 0; ; i++) {
      await imap.run(`UID STORE 3:4 ${i % 2 ? '-' : '+'}FLAGS.SILENT ($Late)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return [lmtpLoop(0), lmtpLoop(1), appendLoop(), expungeLoop(), flagLoop()].map((p) => p.catch(() => undefined));
}

/** Kills A with SIGKILL once an index PUT is on its way (held by the proxy). */
async function killDuringUpload(a: ColumbaProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 400 + Math.floor(Math.random() * 600)));
  // On a loaded machine the first acknowledgements can take a while: wait for one of each.
  const dan = acked.dan.size;
  const eve = acked.eve.size;
  for (let waited = 0; (acked.dan.size === dan || acked.eve.size === eve) && waited < 15_000; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const indexPutInFlight = () => proxy.log.filter((e) => e.op === 'put' && e.key.includes('/i/') && e.status === 0).length;
  for (let waited = 0; indexPutInFlight() === 0 && waited < 5000; waited += 5) await new Promise((r) => setTimeout(r, 5));
  const inFlight = indexPutInFlight();
  a.child.kill('SIGKILL');
  await waitExit(a.child);
  return inFlight;
}

function checkUser(user: string, seen: UserSeen): void {
  assert.is(seen.uidValidity.get('INBOX'), uidValidity.get(user), `${user}: UIDVALIDITY unchanged`);
  // An expunged message's object is deleted only after the expunge is in the bucket's index
  // (IndexPersistence.uploaded): a kill in between leaves an orphan for the sweep, never an
  // indexed message whose object is gone.
  assert.equal(seen.dangling, [], `${user}: every indexed message has its object`);
  const guids = seen.messages.map((m) => m.guid);
  assert.equal([...new Set(guids)].sort(), [...seen.objects].sort(), `${user}: the index agrees with the objects`);
  const counts = new Map<string, number>();
  for (const m of seen.messages) {
    assert.ok(m.id !== null, `${user}: message ${m.guid} reads in full`);
    assert.ok(attempted.has(m.id!), `${user}: unknown message ${m.id}`);
    counts.set(m.id!, (counts.get(m.id!) ?? 0) + 1);
  }
  for (const [id, n] of counts) assert.is(n, 1, `${user}: ${id} stored ${n} times`);
  if (user === 'dan' || user === 'eve') for (const id of acked[user]) assert.is(counts.get(id), 1, `${user}: acknowledged ${id} present`);
  if (user === 'fay' && process.env.FAILOVER_DEBUG) {
    console.log('fay uids at A:', JSON.stringify([...fayUidToId]), 'seen:', JSON.stringify(seen.messages.map((m) => [m.uid, m.id])));
    console.log('uploaded expunges:', [...fayExpungedUploaded], 'maybe:', [...fayExpungedMaybe]);
  }
  if (user === 'fay') {
    for (const id of fayIds) {
      if (fayExpungedUploaded.has(id)) assert.not.ok(counts.has(id), `fay: ${id} was expunged and uploaded, must stay expunged`);
      else if (!fayExpungedMaybe.has(id)) assert.is(counts.get(id), 1, `fay: ${id} was never expunged`);
    }
  }
  if (user === 'gus') {
    const inbox = seen.messages.filter((m) => m.mailbox === 'INBOX');
    assert.is(inbox.length, 4);
    for (const { uid, keyword } of gusKeywords) {
      const m = inbox.find((x) => x.uid === uid);
      assert.ok(m?.flags.includes(keyword), `gus: uploaded ${keyword} on UID ${uid} kept (${m?.flags})`);
    }
  }
}

test.before(async () => {
  s3 = await startS3rver('failover');
  proxy = await startFaultProxy(s3.endpoint);
  // Every index upload takes a while, so the kill can land in the middle of one.
  proxy.inject({ op: 'put', key: /\/i\//, fault: { kind: 'delay', ms: 300 } });
});
test.after(async () => {
  await proxy?.close();
  await s3?.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

test('kill -9 during deliveries, APPENDs, EXPUNGEs and an index upload; a fresh backend serves every user', async () => {
  let uploadsCut = 0;
  const lastSeen = new Map<string, UserSeen>();
  for (let round = 0; round < rounds; round++) {
    const a = await startBackend();
    try {
      if (round === 0) await prepare(a);
      await changesThatMustSurvive(a, round);
      const loops = loadUntilKilled(a, round);
      uploadsCut += await killDuringUpload(a);
      await Promise.all(loops);
    } finally {
      a.child.kill('SIGKILL');
      await waitExit(a.child);
    }
    // Requests already on the wire when A died still reach s3rver (the proxy holds index PUTs).
    for (let w = 0; proxy.log.some((e) => e.fault === 'delay' && e.status === 0) && w < 3000; w += 20) await new Promise((r) => setTimeout(r, 20));
    if (process.env.FAILOVER_DEBUG) {
      for (const e of proxy.log) if (e.key.includes('92/fay/')) console.log(e.op, e.key, e.fault, e.status);
    }
    for (const user of USERS) {
      const seen = await viewFromFreshBackend(s3Direct(), user);
      checkUser(user, seen);
      lastSeen.set(user, seen);
    }
  }
  // Backend B as a real server process on the same bucket: IMAP shows what the check saw.
  const b = await startBackend();
  try {
    for (const user of USERS) {
      const seen = lastSeen.get(user)!;
      const imap = await Imap.login(b.ports.imap!, user);
      const st = await imap.run('STATUS INBOX (MESSAGES UIDVALIDITY)');
      const inbox = [...seen.messages, ...seen.dangling].filter((m) => m.mailbox === 'INBOX').length;
      assert.match(st.lines[0]!, new RegExp(`^\\* STATUS INBOX \\(MESSAGES ${inbox} UIDVALIDITY ${uidValidity.get(user)}\\)$`), `${user}: ${st.lines[0]}`);
      await imap.close();
    }
  } finally {
    b.child.kill('SIGTERM');
    await waitExit(b.child);
  }
  assert.ok(acked.dan.size > 0 && acked.eve.size > 0, 'deliveries and APPENDs were acknowledged before the kill');
  assert.ok(uploadsCut > 0, 'an index upload was on its way at a kill');
  console.log(
    `failover: ${rounds} round(s), ${acked.dan.size} deliveries and ${acked.eve.size} APPENDs acknowledged, ` +
      `${fayExpungedUploaded.size} uploaded expunges, ${uploadsCut} index PUTs in flight at the kills`,
  );
});

test.run();
