/**
 * The seeded corpus: `generateCorpus({ seed, count })` yields the same messages, byte for byte,
 * for the same options. Sizes follow a mail-store-like distribution (most mail a few KB, a long
 * tail of attachments up to 10 MB); about a third of the messages reply into earlier threads.
 */
import { buildMessage, type Charset, type MessagePlan, type Shape } from './message.ts';
import { hex, person } from './people.ts';
import { GB2312_SENTENCES, LATIN1_SENTENCES, Prose, SHIFT_JIS_SENTENCES } from './prose.ts';
import { Rng } from './rng.ts';

export interface CorpusOptions {
  seed: number;
  count: number;
  /** Largest message size; the distribution is cut here (default 10 MB). */
  maxBytes?: number;
  /** Smallest message size (default 1 KB). */
  minBytes?: number;
  /** Fixed size for every message instead of the distribution (e.g. 10 KB LMTP runs). */
  fixedBytes?: number;
  /** Prose to use instead of the machine's licence texts (tests). */
  prose?: Prose;
}

/** Size buckets [low, high, weight]: log-uniform inside a bucket. */
export const SIZE_BUCKETS: ReadonlyArray<readonly [number, number, number]> = [
  [1_024, 4_096, 30],
  [4_096, 16_384, 35],
  [16_384, 65_536, 17],
  [65_536, 524_288, 12],
  [524_288, 2_097_152, 4.5],
  [2_097_152, 10_485_760, 1.5],
];

export function pickSize(rng: Rng, minBytes: number, maxBytes: number): number {
  const buckets = SIZE_BUCKETS.filter(([lo]) => lo < maxBytes);
  const [lo, hi] = rng.weighted(buckets.map((b) => [b, b[2]] as const));
  const low = Math.max(lo, minBytes);
  const high = Math.max(low + 1, Math.min(hi, maxBytes));
  return Math.round(Math.exp(Math.log(low) + rng.next() * (Math.log(high) - Math.log(low))));
}

const CHARSETS: ReadonlyArray<readonly [Charset, number]> = [
  ['us-ascii', 35],
  ['utf-8', 40],
  ['iso-8859-1', 13],
  ['shift_jis', 6],
  ['gb2312', 6],
];

interface ThreadHead {
  subject: string;
  chain: string[];
  people: ReturnType<typeof person>[];
}

function subjectFor(rng: Rng, prose: Prose, charset: Charset): string {
  if (charset === 'shift_jis' && rng.chance(0.7)) return rng.pick(SHIFT_JIS_SENTENCES).slice(0, rng.int(8, 20));
  if (charset === 'gb2312' && rng.chance(0.7)) return rng.pick(GB2312_SENTENCES).slice(0, rng.int(8, 18));
  if (charset === 'iso-8859-1' && rng.chance(0.5)) return rng.pick(LATIN1_SENTENCES).split(' ').slice(0, rng.int(3, 7)).join(' ');
  if (charset === 'utf-8' && rng.chance(0.3)) return `${prose.phrase(rng, rng.int(2, 6))} – ${rng.pick(['Größe', 'résumé', '東京', 'café', 'naïve'])}`;
  return prose.phrase(rng, rng.int(2, 9));
}

function shapeFor(rng: Rng, size: number): Shape {
  if (size > 65_536) return 'mixed';
  return rng.weighted<Shape>([
    ['plain', 50],
    ['alternative', 35],
    ['mixed', 15],
  ]);
}

/** Yields `count` messages (CRLF, RFC 5322 + MIME) deterministically from the seed. */
export function* generateCorpus(opts: CorpusOptions): Generator<Buffer> {
  const prose = opts.prose ?? new Prose();
  const root = new Rng(opts.seed);
  const minBytes = opts.minBytes ?? 1_024;
  const maxBytes = opts.maxBytes ?? 10_485_760;
  const threads: ThreadHead[] = [];
  let clock = Date.UTC(2026, 0, 5, 8, 0, 0);
  for (let i = 0; i < opts.count; i++) {
    // One child generator per message: message i does not depend on how many draws i-1 took
    // beyond this single fork, which keeps later messages stable when a builder changes.
    const rng = root.fork();
    clock += rng.int(20, 3_600) * 1000;
    const size = opts.fixedBytes ?? pickSize(rng, minBytes, maxBytes);
    const charset = rng.weighted(CHARSETS);
    const messageId = `${hex(rng, 16)}.${i}@${rng.pick(['mail.example.com', 'example.net', 'mx.example.org'])}`;
    let plan: MessagePlan;
    const reply = threads.length > 0 && rng.chance(0.35);
    if (reply) {
      const head = threads[rng.int(Math.max(0, threads.length - 50), threads.length - 1)]!;
      const from = rng.pick(head.people);
      const to = head.people.filter((p) => p !== from);
      plan = {
        from,
        to: to.length > 0 ? to : [person(rng)],
        cc: [],
        subject: head.subject.startsWith('Re: ') ? head.subject : `Re: ${head.subject}`,
        dateMs: clock,
        zoneMin: rng.pick([0, 60, 120, -300, 540, 480]),
        messageId,
        inReplyTo: head.chain[head.chain.length - 1]!,
        references: head.chain.slice(-10),
        charset,
        shape: shapeFor(rng, size),
        targetBytes: size,
        listId: null,
      };
      head.chain.push(messageId);
    } else {
      const from = person(rng);
      const to = Array.from({ length: rng.weighted([[1, 70], [2, 20], [4, 10]] as const) }, () => person(rng));
      const cc = rng.chance(0.25) ? [person(rng)] : [];
      plan = {
        from,
        to,
        cc,
        subject: subjectFor(rng, prose, charset),
        dateMs: clock,
        zoneMin: rng.pick([0, 60, 120, -300, 540, 480]),
        messageId,
        inReplyTo: null,
        references: [],
        charset,
        shape: shapeFor(rng, size),
        targetBytes: size,
        listId: rng.chance(0.1) ? `${rng.pick(['announce', 'dev', 'users'])}.lists.example.org` : null,
      };
      threads.push({ subject: plan.subject, chain: [messageId], people: [from, ...to, ...cc] });
      if (threads.length > 500) threads.shift();
    }
    yield buildMessage(rng, prose, plan);
  }
}
