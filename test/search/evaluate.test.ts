/** SEARCH evaluation: metadata keys, content keys after MIME decoding, lazy loading. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { SearchKey } from '../../core/search/criteria.ts';
import { evaluateSearch, inSeqSet, type SearchContext } from '../../core/search/evaluate.ts';
import type { MessageMeta } from '../../core/storage/mail-store.ts';
import { fixture, randomBytes } from '../mail/helpers.ts';

interface Probe {
  ctx: SearchContext;
  loads: () => number;
}

function probe(opts: { raw?: Buffer; meta?: Partial<MessageMeta>; seq?: number; recent?: boolean; maxSeq?: number; maxUid?: number; now?: number } = {}): Probe {
  let loads = 0;
  const meta: MessageMeta = {
    uid: 3,
    guid: 'g',
    flags: [],
    internalDate: new Date(2022, 2, 4, 12, 0, 0).getTime(), // local noon, 2022-03-04
    saveDate: new Date(2022, 2, 5, 12, 0, 0).getTime(),
    size: 1000,
    modseq: 7,
    pop3Uidl: 'u',
    ...opts.meta,
  };
  const ctx: SearchContext = {
    seq: opts.seq ?? 2,
    meta,
    recent: opts.recent ?? false,
    maxSeq: opts.maxSeq ?? 5,
    maxUid: opts.maxUid ?? 3,
    now: opts.now,
    loadMessage: async () => {
      loads++;
      return opts.raw ?? fixture('alternative.eml');
    },
  };
  return { ctx, loads: () => loads };
}

const run = (key: SearchKey, p: Probe) => evaluateSearch(key, p.ctx);

test('flags and keywords, case-insensitive; UNSEEN is flag set=false', async () => {
  const p = probe({ meta: { flags: ['\\Seen', 'Work'] } });
  assert.ok(await run({ type: 'flag', flag: '\\SEEN', set: true }, p));
  assert.ok(await run({ type: 'flag', flag: 'work', set: true }, p));
  assert.not.ok(await run({ type: 'flag', flag: '\\Seen', set: false }, p));
  assert.ok(await run({ type: 'flag', flag: '\\Deleted', set: false }, p));
  assert.is(p.loads(), 0);
});

test('NEW is recent and unseen; OLD is not recent; RECENT', async () => {
  assert.ok(await run({ type: 'new' }, probe({ recent: true })));
  assert.not.ok(await run({ type: 'new' }, probe({ recent: true, meta: { flags: ['\\Seen'] } })));
  assert.not.ok(await run({ type: 'new' }, probe({ recent: false })));
  assert.ok(await run({ type: 'old' }, probe({ recent: false })));
  assert.not.ok(await run({ type: 'old' }, probe({ recent: true })));
  assert.ok(await run({ type: 'recent', set: true }, probe({ recent: true })));
  assert.ok(await run({ type: 'recent', set: false }, probe({ recent: false })));
});

test('sequence sets: ranges either way round, * is the highest', () => {
  assert.ok(inSeqSet(3, [{ start: 5, end: 2 }], 9));
  assert.ok(inSeqSet(9, [{ start: 1, end: '*' }], 9));
  assert.not.ok(inSeqSet(4, [{ start: 1, end: 2 }, { start: 6, end: 6 }], 9));
});

test('UID 5:* matches the highest UID even when it is below 5', async () => {
  const p = probe({ meta: { uid: 3 }, maxUid: 3 });
  assert.ok(await run({ type: 'uid', set: [{ start: 5, end: '*' }] }, p));
  assert.not.ok(await run({ type: 'uid', set: [{ start: 5, end: 7 }] }, p));
  assert.ok(await run({ type: 'seq', set: [{ start: '*', end: '*' }] }, probe({ seq: 5, maxSeq: 5 })));
  assert.not.ok(await run({ type: 'seq', set: [{ start: '*', end: '*' }] }, probe({ seq: 4, maxSeq: 5 })));
});

test('LARGER and SMALLER are strict', async () => {
  const p = probe({ meta: { size: 1000 } });
  assert.not.ok(await run({ type: 'size', op: 'larger', bytes: 1000 }, p));
  assert.ok(await run({ type: 'size', op: 'larger', bytes: 999 }, p));
  assert.not.ok(await run({ type: 'size', op: 'smaller', bytes: 1000 }, p));
  assert.ok(await run({ type: 'size', op: 'smaller', bytes: 1001 }, p));
});

test('internal and save dates compare by local date only', async () => {
  const p = probe();
  const d = (field: 'internal' | 'save', op: 'before' | 'on' | 'since', date: string) =>
    run({ type: 'date', field, op, date }, p);
  assert.ok(await d('internal', 'on', '2022-03-04'));
  assert.ok(await d('internal', 'since', '2022-03-04'));
  assert.not.ok(await d('internal', 'before', '2022-03-04'));
  assert.ok(await d('internal', 'before', '2022-03-05'));
  assert.not.ok(await d('internal', 'since', '2022-03-05'));
  assert.ok(await d('save', 'on', '2022-03-05'));
  assert.is(p.loads(), 0);
});

test('SENT* uses the Date: header date as written, ignoring its zone', async () => {
  // encoded-words.eml: Date: Fri, 04 Mar 2022 23:30:00 -0500 (already 5 March in UTC).
  const p = probe({ raw: fixture('encoded-words.eml'), meta: { internalDate: Date.UTC(2020, 0, 1) } });
  assert.ok(await run({ type: 'date', field: 'sent', op: 'on', date: '2022-03-04' }, p));
  assert.ok(await run({ type: 'date', field: 'sent', op: 'before', date: '2022-03-05' }, p));
  assert.not.ok(await run({ type: 'date', field: 'sent', op: 'since', date: '2022-03-05' }, p));
  assert.is(p.loads(), 1);
});

test('SENT* without a Date: header falls back to the internal date', async () => {
  const p = probe({ raw: fixture('no-content-type.eml') });
  assert.ok(await run({ type: 'date', field: 'sent', op: 'on', date: '2022-03-04' }, p));
});

test('WITHIN: YOUNGER and OLDER in seconds against the internal date', async () => {
  const now = Date.UTC(2022, 0, 1, 0, 0, 0);
  const p = probe({ now, meta: { internalDate: now - 100_000 } });
  assert.ok(await run({ type: 'within', op: 'younger', seconds: 100 }, p));
  assert.not.ok(await run({ type: 'within', op: 'older', seconds: 100 }, p));
  assert.ok(await run({ type: 'within', op: 'older', seconds: 99 }, p));
  assert.not.ok(await run({ type: 'within', op: 'younger', seconds: 99 }, p));
});

test('MODSEQ matches modseq >= n', async () => {
  assert.ok(await run({ type: 'modseq', modseq: 7 }, probe()));
  assert.not.ok(await run({ type: 'modseq', modseq: 8 }, probe()));
});

test('SUBJECT and FROM match decoded encoded words, case-insensitively', async () => {
  const raw = fixture('encoded-words.eml');
  assert.ok(await run({ type: 'header', name: 'SUBJECT', value: 'GRÜßE aus köln' }, probe({ raw })));
  assert.ok(await run({ type: 'header', name: 'from', value: 'jörg' }, probe({ raw })));
  assert.ok(await run({ type: 'header', name: 'from', value: 'joerg@example' }, probe({ raw })));
  assert.ok(await run({ type: 'header', name: 'to', value: 'andré' }, probe({ raw })));
  assert.not.ok(await run({ type: 'header', name: 'cc', value: 'andré' }, probe({ raw })));
});

test('HEADER name "" matches presence of the field', async () => {
  const raw = fixture('alternative.eml');
  assert.ok(await run({ type: 'header', name: 'In-Reply-To', value: '' }, probe({ raw })));
  assert.not.ok(await run({ type: 'header', name: 'References', value: '' }, probe({ raw })));
});

test('BODY decodes quoted-printable and charsets, and does not search headers', async () => {
  const raw = fixture('alternative.eml');
  assert.ok(await run({ type: 'body', value: 'CAFÉ at noon' }, probe({ raw })));
  assert.ok(await run({ type: 'body', value: '<p>caf&eacute;' }, probe({ raw })));
  assert.not.ok(await run({ type: 'body', value: 'Lunch' }, probe({ raw })));
  assert.not.ok(await run({ type: 'body', value: 'preamble' }, probe({ raw })));
  const latin = fixture('encoded-words.eml');
  assert.ok(await run({ type: 'body', value: 'grüße aus köln!' }, probe({ raw: latin })));
});

test('BODY decodes base64 (even broken) and skips non-text parts', async () => {
  assert.ok(await run({ type: 'body', value: 'hello world' }, probe({ raw: fixture('bad-base64.eml') })));
  const nested = fixture('mixed-nested.eml');
  assert.ok(await run({ type: 'body', value: 'see attachment' }, probe({ raw: nested })));
  assert.not.ok(await run({ type: 'body', value: 'JVBERi0' }, probe({ raw: nested })));
});

test('BODY searches attached messages, their headers included', async () => {
  const raw = fixture('rfc822.eml');
  assert.ok(await run({ type: 'body', value: 'original text' }, probe({ raw })));
  assert.ok(await run({ type: 'body', value: 'orig@example.com' }, probe({ raw })));
  assert.not.ok(await run({ type: 'header', name: 'from', value: 'orig@example.com' }, probe({ raw })));
});

test('TEXT searches header and body', async () => {
  const raw = fixture('alternative.eml');
  assert.ok(await run({ type: 'text', value: 'lunch' }, probe({ raw })));
  assert.ok(await run({ type: 'text', value: 'café' }, probe({ raw })));
  assert.not.ok(await run({ type: 'text', value: 'dinner' }, probe({ raw })));
});

test('NOT, OR, AND; content is loaded at most once and only when needed', async () => {
  const p = probe({ meta: { flags: ['\\Seen'] } });
  const key: SearchKey = {
    type: 'and',
    keys: [
      { type: 'body', value: 'noon' },
      { type: 'flag', flag: '\\Seen', set: false },
    ],
  };
  assert.not.ok(await run(key, p));
  assert.is(p.loads(), 0, 'the flag key fails first, so nothing is loaded');
  const q = probe();
  const both: SearchKey = {
    type: 'and',
    keys: [
      { type: 'body', value: 'noon' },
      { type: 'header', name: 'subject', value: 'lunch' },
      { type: 'not', key: { type: 'text', value: 'dinner' } },
      { type: 'or', left: { type: 'body', value: 'nothing' }, right: { type: 'all' } },
    ],
  };
  assert.ok(await run(both, q));
  assert.is(q.loads(), 1);
});

test('OR tries the side without content first', async () => {
  const p = probe();
  assert.ok(await run({ type: 'or', left: { type: 'body', value: 'x' }, right: { type: 'all' } }, p));
  assert.is(p.loads(), 0);
});

test('content keys on random bytes never throw', async () => {
  for (let seed = 1; seed <= 100; seed++) {
    const raw = randomBytes(seed, 500);
    const key: SearchKey = {
      type: 'or',
      left: { type: 'text', value: 'x' },
      right: { type: 'and', keys: [{ type: 'header', name: 'subject', value: 'é' }, { type: 'date', field: 'sent', op: 'on', date: '2022-01-01' }] },
    };
    await run(key, probe({ raw }));
  }
});

test.run();
