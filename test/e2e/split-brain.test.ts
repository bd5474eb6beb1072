/**
 * Split brain on purpose: two `columba serve` processes (own COLUMBA_HOME and metacache) share one
 * S3 bucket (s3rver) and serve the same user at the same time: APPEND, STORE, EXPUNGE on both.
 * Then a third backend with an empty metacache must show every message once, the flag changes of
 * both, none of the expunged ones, the same UIDVALIDITY and unique UIDs: the merge of index heads
 * (core/index/merge-index.ts) plus recovery of unindexed objects (kill -9 variant).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { createBucket, startS3rver, type S3rverHandle } from '../storage/s3rver-process.ts';

class Imap {
  private buf = '';
  private waiters: (() => void)[] = [];
  private n = 0;
  private constructor(private readonly sock: Socket) {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      this.buf += d;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(port: number): Promise<Imap> {
    const sock = connect(port, '127.0.0.1');
    await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
    const c = new Imap(sock);
    await c.line();
    return c;
  }

  private async line(): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        return l;
      }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** Send a command; untagged lines up to the tagged OK (anything else throws). */
  async cmd(text: string, literal?: string): Promise<string[]> {
    const tag = `t${++this.n}`;
    const out: string[] = [];
    if (literal !== undefined) {
      this.sock.write(`${tag} ${text} {${Buffer.byteLength(literal, 'latin1')}}\r\n`);
      const cont = await this.line();
      if (!cont.startsWith('+')) throw new Error(`no continuation: ${cont}`);
      this.sock.write(`${literal}\r\n`);
    } else this.sock.write(`${tag} ${text}\r\n`);
    for (;;) {
      const l = await this.line();
      if (l.startsWith(`${tag} `)) {
        if (!l.startsWith(`${tag} OK`)) throw new Error(`${text} -> ${l}`);
        out.push(l);
        return out;
      }
      out.push(l);
    }
  }

  async close(): Promise<void> {
    await this.cmd('LOGOUT').catch(() => {});
    this.sock.destroy();
  }
}

const message = (subject: string) => `From: a@example.org\r\nTo: kim@example.org\r\nSubject: ${subject}\r\n\r\nbody of ${subject}\r\n`;

async function login(srv: TestServer): Promise<Imap> {
  const c = await Imap.open(srv.ports.imap);
  await c.cmd('LOGIN kim pw');
  return c;
}

async function append(c: Imap, subject: string, flags = ''): Promise<number> {
  const ok = (await c.cmd(`APPEND INBOX (${flags})`, message(subject))).at(-1)!;
  return Number(/APPENDUID \d+ (\d+)/.exec(ok)?.[1] ?? NaN);
}

interface Row { uid: number; flags: string[]; subject: string }

async function inbox(c: Imap): Promise<{ uidValidity: number; rows: Row[] }> {
  const sel = await c.cmd('SELECT INBOX');
  const uidValidity = Number(/UIDVALIDITY (\d+)/.exec(sel.join('\n'))?.[1]);
  const rows: Row[] = [];
  const lines = await c.cmd('UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\* \d+ FETCH \(UID (\d+) FLAGS \(([^)]*)\)/.exec(lines[i]!);
    if (!m) continue;
    // The header literal follows on the next lines up to the closing paren.
    let subject = '';
    for (let j = i + 1; j < lines.length && !lines[j]!.startsWith('* '); j++) {
      const s = /^Subject: (.*)$/i.exec(lines[j]!);
      if (s) subject = s[1]!;
    }
    rows.push({ uid: Number(m[1]), flags: m[2]!.split(' ').filter(Boolean).sort(), subject });
  }
  return { uidValidity, rows };
}

let s3: S3rverHandle;
let bucketN = 0;

async function backend(bucket: string): Promise<TestServer> {
  const srv = await startTestServer({
    storage: {
      driver: 's3',
      s3: { endpoint: s3.endpoint, bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, sortListing: true },
    },
  });
  await srv.addUser('kim', 'pw');
  return srv;
}

/** Seed s0..s3 (UIDs 1..4) through a backend that then stops cleanly; returns UIDVALIDITY. */
async function seed(bucket: string): Promise<number> {
  const s = await backend(bucket);
  const c = await login(s);
  for (let i = 0; i < 4; i++) await append(c, `s${i}`);
  const { uidValidity } = await inbox(c);
  await c.close();
  await s.stop();
  return uidValidity;
}

function assertMerged(rows: Row[], want: Record<string, string[]>, label: string): void {
  const uids = rows.map((r) => r.uid);
  assert.is(new Set(uids).size, uids.length, `${label}: UIDs unique`);
  const got: Record<string, string[]> = {};
  for (const r of rows) {
    assert.not.ok(r.subject in got, `${label}: ${r.subject} present once`);
    got[r.subject] = r.flags.filter((f) => f !== '\\Recent');
  }
  assert.equal(got, want, label);
}

test.before(async () => {
  s3 = await startS3rver('split');
});

test('two backends at once, stopped cleanly: the third sees both sides merged', async () => {
  const bucket = `split-${++bucketN}`;
  await createBucket(s3.endpoint, bucket);
  const uidValidity = await seed(bucket);
  const a = await backend(bucket);
  const b = await backend(bucket);
  try {
    const ca = await login(a);
    const cb = await login(b);
    await Promise.all([
      (async () => {
        await ca.cmd('SELECT INBOX');
        await append(ca, 'a1');
        await ca.cmd('UID STORE 1 +FLAGS (\\Flagged)');
        await ca.cmd('UID STORE 2 +FLAGS (\\Deleted)');
        await ca.cmd('EXPUNGE');
        await append(ca, 'a2', '\\Seen');
      })(),
      (async () => {
        await cb.cmd('SELECT INBOX');
        await append(cb, 'b1');
        await cb.cmd('UID STORE 3 +FLAGS (\\Seen $Work)');
        await cb.cmd('UID STORE 4 +FLAGS (\\Deleted)');
        await cb.cmd('EXPUNGE');
      })(),
    ]);
    await ca.close();
    await cb.close();
  } finally {
    await a.stop();
    await b.stop();
  }
  const c = await backend(bucket);
  try {
    const cc = await login(c);
    const got = await inbox(cc);
    assert.is(got.uidValidity, uidValidity, 'UIDVALIDITY unchanged');
    assertMerged(got.rows, { s0: ['\\Flagged'], s2: ['$Work', '\\Seen'], a1: [], a2: ['\\Seen'], b1: [] }, 'merged');
    await cc.close();
  } finally {
    await c.stop();
  }
  // The merged base superseded both heads: a fourth backend loads it as one head, same state.
  const d = await backend(bucket);
  try {
    const cd = await login(d);
    const again = await inbox(cd);
    assertMerged(again.rows, { s0: ['\\Flagged'], s2: ['$Work', '\\Seen'], a1: [], a2: ['\\Seen'], b1: [] }, 'after the merged base');
    assert.is(again.uidValidity, uidValidity);
    await cd.close();
  } finally {
    await d.stop();
  }
});

test('two backends at once, killed -9 after an upload: acknowledged messages present once', async () => {
  const bucket = `split-${++bucketN}`;
  await createBucket(s3.endpoint, bucket);
  const uidValidity = await seed(bucket);
  const a = await backend(bucket);
  const b = await backend(bucket);
  try {
    const work = async (srv: TestServer, side: string, flagUid: number) => {
      let c = await login(srv);
      await c.cmd('SELECT INBOX');
      await append(c, `${side}1`);
      await c.cmd(`UID STORE ${flagUid} +FLAGS (\\Answered)`);
      await c.close(); // last release: the index goes up as a diff
      c = await login(srv);
      await c.cmd('SELECT INBOX');
      await append(c, `${side}2`); // acknowledged, but only its object is in S3 yet
      process.kill(srv.pid, 'SIGKILL');
    };
    await Promise.all([work(a, 'a', 1), work(b, 'b', 2)]);
  } finally {
    await a.stop();
    await b.stop();
  }
  const c = await backend(bucket);
  try {
    const cc = await login(c);
    const got = await inbox(cc);
    assert.is(got.uidValidity, uidValidity, 'UIDVALIDITY unchanged');
    assertMerged(got.rows, { s0: ['\\Answered'], s1: ['\\Answered'], s2: [], s3: [], a1: [], a2: [], b1: [], b2: [] }, 'merged + recovered');
    await cc.close();
  } finally {
    await c.stop();
  }
});

test.after(async () => {
  await s3?.stop();
});

test.run();
