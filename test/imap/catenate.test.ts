/**
 * resolveCatenate against a fake store: rights are asked for, views opened for the command are
 * closed, the selected view is used as it is, and failures are BADURL / TOOBIG completions.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configSchema } from '../../core/config/schema.ts';
import type { MailboxView, UserMailStore } from '../../core/storage/mail-store.ts';
import { resolveCatenate } from '../../protocols/imap/catenate.ts';
import type { ImapContext } from '../../protocols/imap/types.ts';
import type { AppendMessage } from '../../protocols/imap/wire/commands.ts';

const RAW = Buffer.from('Subject: x\r\n\r\nbody\r\n');

function fakeView(name: string, log: string[]): MailboxView {
  return {
    name,
    uidValidity: 7,
    seqOfUid: (uid: number) => (uid === 3 ? 1 : 0),
    read: async () => RAW,
    close: async () => void log.push(`close ${name}`),
  } as unknown as MailboxView;
}

function fakeCtx(log: string[], opts: { forbidden?: string; selected?: string; messageSize?: number } = {}): ImapContext {
  const mail = {
    user: 'alice',
    async requireRights(mailbox: string, user: string, needed: string) {
      log.push(`rights ${mailbox} ${user} ${needed}`);
      if (mailbox === opts.forbidden) throw new Error('NO_PERMISSION');
    },
    async openMailbox(mailbox: string, o: { readOnly: boolean }) {
      log.push(`open ${mailbox} ${o.readOnly ? 'ro' : 'rw'}`);
      if (mailbox === 'Missing') throw new Error('NOT_FOUND');
      return fakeView(mailbox, log);
    },
  } as unknown as UserMailStore;
  const config = configSchema.parse({ limits: { messageSize: opts.messageSize ?? 1000 } });
  return {
    server: { hostname: 'h.example' },
    config,
    user: 'alice',
    mail,
    view: opts.selected ? fakeView(opts.selected, log) : null,
  } as unknown as ImapContext;
}

const cat = (...urls: string[]): AppendMessage => ({
  flags: [],
  internalDate: null,
  message: Buffer.alloc(0),
  catenate: urls.map((url) => ({ kind: 'url' as const, url })),
});

test('messages without CATENATE pass through untouched', async () => {
  const log: string[] = [];
  const m = { flags: ['\\Seen'], internalDate: null, message: Buffer.from('x') };
  const r = await resolveCatenate(fakeCtx(log), [m]);
  assert.equal(r, { ok: true, messages: [m] });
  assert.equal(log, []);
});

test('one read-only open per mailbox, rights checked, closed at the end', async () => {
  const log: string[] = [];
  const r = await resolveCatenate(fakeCtx(log), [cat('/Other/;UID=3/;SECTION=TEXT', '/Other;UIDVALIDITY=7/;UID=3/;PARTIAL=0.7')]);
  assert.ok(r.ok);
  if (r.ok) assert.is(r.messages[0]!.message.toString(), 'body\r\nSubject');
  assert.equal(log, ['rights Other alice r', 'open Other ro', 'close Other']);
});

test('the selected view is read directly and never closed', async () => {
  const log: string[] = [];
  const r = await resolveCatenate(fakeCtx(log, { selected: 'Drafts' }), [cat(';UID=3', '/Drafts/;UID=3/;SECTION=HEADER')]);
  assert.ok(r.ok);
  if (r.ok) assert.is(r.messages[0]!.message.toString(), RAW.toString() + 'Subject: x\r\n\r\n');
  assert.equal(log, []);
});

test('no read right, missing mailbox, wrong UIDVALIDITY, missing UID: BADURL (views still closed)', async () => {
  const cases: Array<[string, string]> = [
    ['/Secret/;UID=3', 'BADURL /Secret/;UID=3'],
    ['/Missing/;UID=3', 'BADURL /Missing/;UID=3'],
    ['/Other;UIDVALIDITY=8/;UID=3', 'BADURL /Other;UIDVALIDITY=8/;UID=3'],
    ['/Other/;UID=4', 'BADURL /Other/;UID=4'],
    ['/Other/;UID=3/;SECTION=2', 'BADURL /Other/;UID=3/;SECTION=2'],
    ['/Other/;UID=3/;SECTION=1.TEXT', 'BADURL /Other/;UID=3/;SECTION=1.TEXT'],
  ];
  for (const [url, code] of cases) {
    const log: string[] = [];
    const r = await resolveCatenate(fakeCtx(log, { forbidden: 'Secret' }), [cat('/Other/;UID=3', url)]);
    assert.is(r.ok, false, url);
    if (!r.ok) assert.equal([r.completion.status, r.completion.code], ['NO', code], url);
    assert.ok(log.includes('close Other'), url);
    assert.not.ok(log.includes('open Secret ro'), url);
  }
});

test('TOOBIG once the running size passes limits.messageSize', async () => {
  const log: string[] = [];
  const r = await resolveCatenate(fakeCtx(log, { messageSize: 39 }), [cat('/Other/;UID=3', '/Other/;UID=3')]);
  assert.is(r.ok, false);
  if (!r.ok) assert.equal([r.completion.status, r.completion.code], ['NO', 'TOOBIG']);
  assert.ok(log.includes('close Other'));
});

test.run();
