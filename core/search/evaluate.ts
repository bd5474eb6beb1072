/**
 * SEARCH evaluation for one message (RFC 3501 section 6.4.4, RFC 4551 MODSEQ, RFC 5032 WITHIN,
 * RFC 8514 SAVEDATE). Metadata keys are answered from the index; the message is loaded only
 * when a key needs its content, at most once per context, and keys that need no content are
 * tried first so that `UNSEEN BODY x` loads nothing for seen messages.
 *
 * String matching is a substring test under i;unicode-casemap (RFC 5051, as I18NLEVEL=1 asks)
 * after MIME decoding (encoded words, transfer encodings, charsets to UTF-8): see
 * core/search/collation.ts (ASCII text takes core/text/fold.ts's fast path).
 */
import type { SearchKey, SeqSet } from './criteria.ts';
import type { MessageMeta } from '../storage/mail-store.ts';
import { containsCasemap } from './collation.ts';
import { compareDate, headerDateKey, localDateKey } from './dates.ts';
import { MessageContent } from './message-content.ts';
import { decodeEncodedWords } from '../mail/decode.ts';
import { CACHED_HEADER_NAMES } from '../index/header-cache.ts';

export interface SearchContext {
  /** Sequence number of the message in the session's view. */
  seq: number;
  meta: MessageMeta;
  /** \Recent for this session. */
  recent: boolean;
  /** Highest sequence number and UID in the view: what `*` stands for. */
  maxSeq: number;
  maxUid: number;
  /** Raw message bytes; called at most once per context. */
  loadMessage(): Promise<Buffer>;
  /**
   * The index's cached header fields (MailboxView.cachedHeaders), or null when not cached.
   * Header keys on a cached field use it and never load the message.
   */
  cachedHeaders?(): Map<string, string[]> | null;
  /** Current time in ms for WITHIN (defaults to Date.now()); lets a search use one instant. */
  now?: number;
}

// Keyed by context; the UID check guards against a caller that reuses one context object.
const contentCache = new WeakMap<SearchContext, { uid: number; content: Promise<MessageContent> }>();

function content(ctx: SearchContext): Promise<MessageContent> {
  const hit = contentCache.get(ctx);
  if (hit && hit.uid === ctx.meta.uid) return hit.content;
  const loaded = ctx.loadMessage().then((raw) => new MessageContent(raw));
  contentCache.set(ctx, { uid: ctx.meta.uid, content: loaded });
  return loaded;
}

/** True when evaluating the key may need the message content. */
export function needsContent(key: SearchKey): boolean {
  switch (key.type) {
    case 'header':
    case 'body':
    case 'text':
      return true;
    case 'date':
      return key.field === 'sent';
    case 'not':
      return needsContent(key.key);
    case 'or':
      return needsContent(key.left) || needsContent(key.right);
    case 'and':
      return key.keys.some(needsContent);
    default:
      return false;
  }
}

/** True when `n` is in the set; `*` is `max` (so `5:*` matches `max` even when max < 5). */
export function inSeqSet(n: number, set: SeqSet, max: number): boolean {
  for (const r of set) {
    const a = r.start === '*' ? max : r.start;
    const b = r.end === '*' ? max : r.end;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

function hasFlag(meta: MessageMeta, flag: string): boolean {
  const want = flag.toLowerCase();
  return meta.flags.some((f) => f.toLowerCase() === want);
}

// Parsed cache blocks by context, so `FROM a SUBJECT b` parses the block once.
const headerCacheOf = new WeakMap<SearchContext, { uid: number; map: Map<string, string[]> | null }>();

/** Raw values of a header field from the index cache, or null when the cache cannot answer. */
function cachedValues(ctx: SearchContext, name: string): string[] | null {
  const lname = name.toLowerCase();
  if (!CACHED_HEADER_NAMES.has(lname) || !ctx.cachedHeaders) return null;
  let hit = headerCacheOf.get(ctx);
  if (!hit || hit.uid !== ctx.meta.uid) {
    hit = { uid: ctx.meta.uid, map: ctx.cachedHeaders() };
    headerCacheOf.set(ctx, hit);
  }
  const cached = hit.map;
  return cached ? (cached.get(lname) ?? []) : null;
}

async function matchHeader(ctx: SearchContext, name: string, value: string): Promise<boolean> {
  const raw = cachedValues(ctx, name);
  if (raw !== null) {
    if (value === '') return raw.length > 0;
    return raw.some((v) => containsCasemap(decodeEncodedWords(v), value));
  }
  const c = await content(ctx);
  // HEADER name "" matches every message that has the field.
  if (value === '') return c.hasHeader(name);
  return c.headerValues(name).some((v) => containsCasemap(v, value));
}

async function matchDate(ctx: SearchContext, key: Extract<SearchKey, { type: 'date' }>): Promise<boolean> {
  let have: string;
  if (key.field === 'internal') have = localDateKey(ctx.meta.internalDate);
  else if (key.field === 'save') have = localDateKey(ctx.meta.saveDate);
  else {
    const cachedDate = cachedValues(ctx, 'date');
    const date = cachedDate ? cachedDate.map((v) => decodeEncodedWords(v))[0] : (await content(ctx)).headerValues('date')[0];
    // Without a usable Date: header the internal date stands in (as a received date would).
    have = (date !== undefined ? headerDateKey(date) : null) ?? localDateKey(ctx.meta.internalDate);
  }
  return compareDate(have, key.op, key.date);
}

/** Evaluates a search key against one message. Never throws on message content. */
export async function evaluateSearch(key: SearchKey, ctx: SearchContext): Promise<boolean> {
  switch (key.type) {
    case 'all':
      return true;
    case 'flag':
      if (key.flag.toLowerCase() === '\\recent') return ctx.recent === key.set;
      return hasFlag(ctx.meta, key.flag) === key.set;
    case 'recent':
      return ctx.recent === key.set;
    case 'new':
      return ctx.recent && !hasFlag(ctx.meta, '\\Seen');
    case 'old':
      return !ctx.recent;
    case 'seq':
      return inSeqSet(ctx.seq, key.set, ctx.maxSeq);
    case 'uid':
      return inSeqSet(ctx.meta.uid, key.set, ctx.maxUid);
    case 'header':
      return matchHeader(ctx, key.name, key.value);
    case 'body':
      return containsCasemap((await content(ctx)).bodyText(), key.value);
    case 'text': {
      const c = await content(ctx);
      return containsCasemap(c.headerText(), key.value) || containsCasemap(c.bodyText(), key.value);
    }
    case 'date':
      return matchDate(ctx, key);
    case 'within': {
      const ageMs = (ctx.now ?? Date.now()) - ctx.meta.internalDate;
      const limitMs = key.seconds * 1000;
      return key.op === 'younger' ? ageMs <= limitMs : ageMs > limitMs;
    }
    case 'size':
      return key.op === 'larger' ? ctx.meta.size > key.bytes : ctx.meta.size < key.bytes;
    case 'modseq':
      return ctx.meta.modseq >= key.modseq;
    case 'emailid':
      return ctx.meta.guid === key.id;
    case 'threadid':
      return false; // no thread ids are kept: THREADID is NIL for every message (RFC 8474 5.2)
    case 'not':
      return !(await evaluateSearch(key.key, ctx));
    case 'or': {
      // Try the side that needs no content first.
      const [first, second] = needsContent(key.left) && !needsContent(key.right) ? [key.right, key.left] : [key.left, key.right];
      return (await evaluateSearch(first, ctx)) || evaluateSearch(second, ctx);
    }
    case 'and': {
      const cheap = key.keys.filter((k) => !needsContent(k));
      const costly = key.keys.filter((k) => needsContent(k));
      for (const k of [...cheap, ...costly]) if (!(await evaluateSearch(k, ctx))) return false;
      return true;
    }
    default:
      return false;
  }
}
