/** SORT keys (RFC 5256 / RFC 5957) and THREAD algorithms (RFC 5256 section 4), pure. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addressDisplayKey, addressMailboxKey, NO_HEADERS, parseSentDate, type HeaderFacts } from '../../core/search/sort-fields.ts';
import { sortMessages, type SortCriterion, type SortInput } from '../../core/search/sort.ts';
import { formatThreads, messageIds, threadMessages, type ThreadAlgorithm, type ThreadInput } from '../../core/search/thread.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function msg(seq: number, h: Partial<HeaderFacts>, internalDay = seq, size = 100): SortInput & ThreadInput {
  return { seq, internalDate: T0 + internalDay * DAY, size, headers: { ...NO_HEADERS, ...h } };
}
const by = (...keys: string[]): SortCriterion[] => {
  const out: SortCriterion[] = [];
  for (let i = 0; i < keys.length; i++) {
    const reverse = keys[i] === 'REVERSE';
    if (reverse) i++;
    out.push({ key: keys[i] as SortCriterion['key'], reverse });
  }
  return out;
};
const thread = (ms: ThreadInput[], alg: ThreadAlgorithm) => formatThreads(threadMessages(ms, alg));
const date = (day: number, hour = 0) => `${day} Jan 2024 ${String(hour).padStart(2, '0')}:00:00 +0000`;

test('sent date: zones, obsolete forms, junk', () => {
  assert.is(parseSentDate('Tue, 02 Jan 2024 10:00:00 +0000'), Date.UTC(2024, 0, 2, 10));
  assert.is(parseSentDate('2 Jan 2024 09:00:00 -0200'), Date.UTC(2024, 0, 2, 11));
  assert.is(parseSentDate('2 Jan 24 09:00 EST'), Date.UTC(2024, 0, 2, 14));
  assert.is(parseSentDate('2 Jan 2024 09:00:00 GMT (comment)'), Date.UTC(2024, 0, 2, 9));
  assert.is(parseSentDate('yesterday'), null);
  assert.is(parseSentDate('2 Foo 2024 09:00'), null);
  assert.is(parseSentDate('2 Jan 2024 25:00'), null);
});

test('address keys: first mailbox, groups skipped, display names decoded', () => {
  assert.is(addressMailboxKey('"Z" <zed@example.org>, a@example.org'), 'zed');
  assert.is(addressMailboxKey('undisclosed-recipients:;'), '');
  assert.is(addressMailboxKey('team: b@example.org;'), 'b');
  assert.is(addressMailboxKey(null), '');
  assert.is(addressDisplayKey('=?UTF-8?Q?=C3=89mile?= <e@example.org>'), 'Émile');
  assert.is(addressDisplayKey('e@example.org'), 'e@example.org');
  assert.is(addressDisplayKey('"" <e@example.org>'), 'e@example.org');
  assert.is(addressDisplayKey(null), '');
});

test('sort: ties by sequence number, REVERSE per key, missing headers as empty', () => {
  const ms = [
    msg(1, { subject: 'Re: b', date: date(3) }, 5, 300),
    msg(2, { subject: 'a', date: date(2) }, 4, 100),
    msg(3, { subject: 'B', date: 'junk' }, 0, 200), // sent date falls back to internal (Jan 1)
    msg(4, { date: date(2) }, 2, 100),
  ];
  assert.equal(sortMessages(ms, by('DATE')), [3, 2, 4, 1]);
  assert.equal(sortMessages(ms, by('REVERSE', 'DATE')), [1, 2, 4, 3]);
  assert.equal(sortMessages(ms, by('ARRIVAL')), [3, 4, 2, 1]);
  assert.equal(sortMessages(ms, by('SIZE')), [2, 4, 3, 1]);
  assert.equal(sortMessages(ms, by('REVERSE', 'SIZE')), [1, 3, 2, 4]);
  // Missing subject is "" and sorts first; "Re: b" and "B" share a base subject.
  assert.equal(sortMessages(ms, by('SUBJECT')), [4, 2, 1, 3]);
  assert.equal(sortMessages(ms, by('SUBJECT', 'REVERSE', 'ARRIVAL')), [4, 2, 1, 3]);
  assert.equal(sortMessages(ms, by('SUBJECT', 'ARRIVAL')), [4, 2, 3, 1]);
  assert.equal(sortMessages([], by('DATE')), []);
});

test('ORDEREDSUBJECT: groups flat under the earliest, threads by first date', () => {
  const ms = [
    msg(1, { subject: 'Hello', date: date(5) }),
    msg(2, { subject: 'Re: hello', date: date(6) }),
    msg(3, { subject: 'Other', date: date(1) }),
    msg(4, { subject: 'Re: Re: Hello', date: date(7) }),
    msg(5, { subject: 'Solo', date: date(8) }),
    msg(6, { subject: 'other (fwd)', date: date(2) }),
  ];
  assert.is(thread(ms, 'ORDEREDSUBJECT'), '(3 6)(1 (2)(4))(5)');
  assert.is(thread([], 'ORDEREDSUBJECT'), '');
});

// A References thread like the RFC's examples: chains, branches, a dummy root.
const refsMailbox = () => [
  msg(1, { messageId: '<1@x>', subject: 'A', date: date(1) }),
  msg(2, { messageId: '<2@x>', references: '<1@x>', subject: 'Re: A', date: date(2) }),
  msg(3, { messageId: '<3@x>', references: '<1@x> <2@x>', subject: 'Re: A', date: date(3) }),
  msg(4, { messageId: '<4@x>', inReplyTo: '<1@x>', subject: 'Re: A', date: date(4) }),
  msg(5, { messageId: '<5@x>', references: '<gone@x>', subject: 'B', date: date(5) }),
  msg(6, { messageId: '<6@x>', references: '<gone@x>', subject: 'Re: B', date: date(6) }),
  msg(7, { messageId: '<7@x>', subject: 'C', date: date(7) }),
  msg(8, { messageId: '<8@x>', subject: 'Re: C', date: date(8) }),
  msg(9, { messageId: '<9@x>', subject: 'C', date: date(9) }),
];

test('REFERENCES: chains, branches, dummies and subject merging', () => {
  // 8 (a reply) joins 7's thread; 9 (same subject, not a reply) makes a dummy over 7 and 9.
  assert.is(thread(refsMailbox(), 'REFERENCES'), '(1 (2 3)(4))((5)(6))((7 8)(9))');
});

test('REFS: no subject merging; threads ordered by their latest message', () => {
  const ms = refsMailbox();
  ms[2]!.headers!.date = date(20); // 1's thread now has the latest message
  assert.is(thread(ms, 'REFS'), '((5)(6))(7)(8)(9)(1 (2 3)(4))');
});

test('REFERENCES: a message found later fills its dummy; References win over links', () => {
  const ms = [
    msg(1, { messageId: '<c@x>', references: '<a@x> <b@x>', date: date(3) }),
    msg(2, { messageId: '<a@x>', date: date(1) }),
    msg(3, { messageId: '<b@x>', references: '<a@x>', date: date(2) }),
  ];
  assert.is(thread(ms, 'REFERENCES'), '(2 3 1)');
});

test('REFERENCES: loops, self references and duplicate Message-IDs are harmless', () => {
  const ms = [
    msg(1, { messageId: '<a@x>', references: '<b@x>', date: date(1) }),
    msg(2, { messageId: '<b@x>', references: '<a@x>', date: date(2) }),
    msg(3, { messageId: '<c@x>', references: '<c@x>', date: date(3) }),
    msg(4, { messageId: '<c@x>', date: date(4) }),
    msg(5, { date: date(5) }),
  ];
  const out = thread(ms, 'REFERENCES');
  for (const n of [1, 2, 3, 4, 5]) assert.ok(new RegExp(`\\b${n}\\b`).test(out), `message ${n} in ${out}`);
  // 1 hung under 2 first (as a reference); 2's own References would close a loop: ignored.
  assert.is(out, '(2 1)(3)(4)(5)');
});

test('msg-ids: angle brackets, whitespace removed, junk skipped', () => {
  assert.equal(messageIds('<a@x> junk <b @ y>'), ['a@x', 'b@y']);
  assert.equal(messageIds('no ids'), []);
  assert.equal(messageIds(null), []);
});

test('format: chains flat, branches parenthesized, dummies without a number', () => {
  assert.is(formatThreads([{ seq: 1, children: [{ seq: 2, children: [] }] }]), '(1 2)');
  assert.is(
    formatThreads([{ seq: 3, children: [{ seq: 6, children: [{ seq: 4, children: [{ seq: 23, children: [] }] }, { seq: 44, children: [{ seq: 7, children: [{ seq: 96, children: [] }] }] }] }] }]),
    '(3 6 (4 23)(44 7 96))',
  );
  assert.is(formatThreads([{ seq: null, children: [{ seq: 3, children: [] }, { seq: 5, children: [] }] }]), '((3)(5))');
});

test('a long reply chain does not overflow the stack', () => {
  const n = 20_000;
  const ms: ThreadInput[] = [];
  for (let i = 1; i <= n; i++) {
    ms.push(msg(i, { messageId: `<${i}@x>`, inReplyTo: i > 1 ? `<${i - 1}@x>` : null, date: date(1) }));
  }
  const out = thread(ms, 'REFERENCES');
  assert.ok(out.startsWith('(1 2 3 '));
  assert.ok(out.endsWith(` ${n})`));
});

test('random mailboxes: every message appears exactly once, parentheses balance', () => {
  // Deterministic pseudo-random source (no Math.random: failures must reproduce).
  let state = 12345;
  const rnd = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const subjects = ['a', 'Re: a', 'b', 'Fwd: b', '[x] a', '', 'c (fwd)'];
  for (let round = 0; round < 200; round++) {
    const n = 1 + rnd(25);
    const ms: ThreadInput[] = [];
    for (let i = 1; i <= n; i++) {
      const refs = Array.from({ length: rnd(4) }, () => `<${rnd(12)}@x>`).join(' ');
      ms.push(msg(i, {
        messageId: rnd(5) === 0 ? null : `<${rnd(12)}@x>`,
        references: refs === '' ? null : refs,
        inReplyTo: rnd(3) === 0 ? `<${rnd(12)}@x>` : null,
        subject: subjects[rnd(subjects.length)]!,
        date: rnd(4) === 0 ? 'junk' : date(1 + rnd(5), rnd(24)),
      }, rnd(9)));
    }
    for (const alg of ['ORDEREDSUBJECT', 'REFERENCES', 'REFS'] as const) {
      const out = thread(ms, alg);
      const seen = (out.match(/\d+/g) ?? []).map(Number).sort((a, b) => a - b);
      assert.equal(seen, ms.map((m) => m.seq), `${alg} round ${round}: ${out}`);
      let depth = 0;
      for (const ch of out) {
        depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
        assert.ok(depth >= 0, out);
      }
      assert.is(depth, 0, out);
      assert.not.ok(out.includes('()'), out);
    }
  }
});

test.run();
