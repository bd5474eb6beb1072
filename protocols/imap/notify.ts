/**
 * NOTIFY (RFC 5465) per session: which mailboxes and events the client asked for, a queue fed
 * by the user's change feed (UserMailStore.onMailboxChange), and turning that queue into
 * `* STATUS` / `* LIST` responses where untagged responses may be sent (after each command and
 * during IDLE). The selected mailbox keeps its usual EXISTS/EXPUNGE/FETCH updates; a SELECTED
 * MessageNew fetch-att list adds a FETCH of each new message after EXISTS.
 */
import type { MailboxChangeKind, MailboxInfo } from '../../core/storage/mail-store.ts';
import { isStorageError } from '../../core/storage/errors.ts';
import { isDescendant, isInbox, normalizeMailboxName } from '../../core/storage/mailbox-names.ts';
import { fetch } from './commands/fetch.ts';
import { chunksToBuffer, mailboxChunks } from './encode.ts';
import { condstoreOn } from './qresync.ts';
import { utf8Names } from './rev2.ts';
import type { Completion, ImapContext } from './types.ts';
import type { FetchAttribute, NotifyGroup, NotifySet } from './wire/commands.ts';

/** Events this server reports, as RFC 5465 spells them (for BADEVENT). */
export const SUPPORTED_EVENTS = ['MessageNew', 'MessageExpunge', 'FlagChange', 'MailboxName', 'SubscriptionChange'] as const;
const SUPPORTED = new Set(SUPPORTED_EVENTS.map((e) => e.toUpperCase()));
const FILTERS = new Set(['SELECTED', 'SELECTED-DELAYED', 'INBOXES', 'PERSONAL', 'SUBSCRIBED', 'SUBTREE', 'MAILBOXES']);
/** Queued changes before the session gives up with NOTIFICATIONOVERFLOW. */
export const NOTIFY_QUEUE_LIMIT = 1000;

export interface Group {
  filter: string;
  mailboxes: string[];
  events: Set<string>;
  fetchAttributes: FetchAttribute[] | null;
}

interface Change {
  name: string;
  kind: MailboxChangeKind;
  oldName?: string;
}

class NotifyState {
  queue: Change[] = [];
  overflow = false;
  readonly wakers = new Set<() => void>();
  constructor(
    readonly groups: Group[],
    readonly unsubscribe: () => void,
  ) {}
}

const STATES = new WeakMap<ImapContext, NotifyState>();

const badEvent = (): Completion => ({ status: 'NO', code: `BADEVENT (${SUPPORTED_EVENTS.join(' ')})`, text: 'Unsupported event or filter' });

/** Check a NOTIFY SET (RFC 5465 3, 5, 6): a completion to refuse it, or the compiled groups. */
export function compileNotify(set: NotifySet): Completion | Group[] {
  const groups: Group[] = [];
  for (const g of set.groups) {
    if (!FILTERS.has(g.filter)) return badEvent();
    const events = new Set(g.events.map((e) => e.toUpperCase()));
    for (const e of events) if (!SUPPORTED.has(e)) return badEvent();
    const selected = g.filter === 'SELECTED' || g.filter === 'SELECTED-DELAYED';
    // RFC 5465 5: MessageNew and MessageExpunge go together; FlagChange needs both.
    if (events.has('MESSAGENEW') !== events.has('MESSAGEEXPUNGE')) return { status: 'BAD', text: 'MessageNew and MessageExpunge must be requested together' };
    if (events.has('FLAGCHANGE') && !events.has('MESSAGENEW')) return { status: 'BAD', text: 'FlagChange needs MessageNew and MessageExpunge' };
    if (selected && (events.has('MAILBOXNAME') || events.has('SUBSCRIPTIONCHANGE'))) return { status: 'BAD', text: 'Mailbox events are not allowed for the selected mailbox' };
    if (g.fetchAttributes && !selected) return { status: 'BAD', text: 'MessageNew fetch attributes are only allowed for the selected mailbox' };
    try {
      groups.push(toGroup(g, events));
    } catch {
      return { status: 'BAD', text: 'Invalid mailbox name' };
    }
  }
  return groups;
}

function toGroup(g: NotifyGroup, events: Set<string>): Group {
  return { filter: g.filter, mailboxes: g.mailboxes.map((m) => normalizeMailboxName(m)), events, fetchAttributes: g.fetchAttributes };
}

/** Replace the session's NOTIFY state (null: NOTIFY NONE). */
export function setNotify(ctx: ImapContext, groups: Group[] | null): void {
  stopNotify(ctx);
  const mail = ctx.mail;
  if (!groups || !mail?.onMailboxChange) return;
  let state: NotifyState | null = null;
  const unsubscribe = mail.onMailboxChange((name, kind, oldName) => {
    if (!state || state.overflow) return;
    if (state.queue.length >= NOTIFY_QUEUE_LIMIT) (state.overflow = true), (state.queue = []);
    else state.queue.push({ name, kind, oldName });
    for (const w of [...state.wakers]) w();
  });
  state = new NotifyState(groups, unsubscribe);
  STATES.set(ctx, state);
}

export function stopNotify(ctx: ImapContext): void {
  const s = STATES.get(ctx);
  if (!s) return;
  s.unsubscribe();
  STATES.delete(ctx);
}

export function notifyActive(ctx: ImapContext): boolean {
  return STATES.has(ctx);
}

/** Wake `listener` when a change is queued (IDLE). */
export function watchNotify(ctx: ImapContext, listener: () => void): () => void {
  const s = STATES.get(ctx);
  if (!s) return () => undefined;
  s.wakers.add(listener);
  return () => void s.wakers.delete(listener);
}

/** The group that covers a non-selected mailbox (the first that matches), or null. */
function groupFor(groups: Group[], name: string, subscribed: ReadonlySet<string>): Group | null {
  for (const g of groups) {
    switch (g.filter) {
      case 'INBOXES':
        if (isInbox(name)) return g;
        break;
      case 'PERSONAL':
        return g;
      case 'SUBSCRIBED':
        if (subscribed.has(name)) return g;
        break;
      case 'SUBTREE':
        if (g.mailboxes.some((m) => sameName(m, name) || isDescendant(name, m))) return g;
        break;
      case 'MAILBOXES':
        if (g.mailboxes.some((m) => sameName(m, name))) return g;
        break;
    }
  }
  return null;
}

function sameName(a: string, b: string): boolean {
  return a === b || (isInbox(a) && isInbox(b));
}

function nameText(ctx: ImapContext, name: string): string {
  return chunksToBuffer(mailboxChunks(name, utf8Names(ctx))).toString('utf8');
}

/** `STATUS name (MESSAGES n UIDNEXT n UNSEEN n [HIGHESTMODSEQ n])`, or null when it is gone. */
async function statusLine(ctx: ImapContext, name: string): Promise<string | null> {
  try {
    const s = await ctx.mail!.status(name);
    const modseq = condstoreOn(ctx) ? ` HIGHESTMODSEQ ${s.highestModseq}` : '';
    return `STATUS ${nameText(ctx, name)} (MESSAGES ${s.messages} UIDNEXT ${s.uidNext} UNSEEN ${s.unseen}${modseq})`;
  } catch (err) {
    if (isStorageError(err)) return null;
    throw err;
  }
}

function listLine(ctx: ImapContext, name: string, info: MailboxInfo | undefined, subscribed: boolean, oldName?: string): string {
  const attrs: string[] = [];
  if (!info) attrs.push('\\NonExistent');
  else if (info.noSelect) attrs.push('\\Noselect');
  if (subscribed) attrs.push('\\Subscribed');
  const old = oldName !== undefined ? ` ("OLDNAME" (${nameText(ctx, oldName)}))` : '';
  return `LIST (${attrs.join(' ')}) "/" ${nameText(ctx, name)}${old}`;
}

/** NOTIFY SET STATUS: a STATUS for every watched mailbox with message events (RFC 5465 3). */
export async function initialStatusLines(ctx: ImapContext): Promise<string[]> {
  const s = STATES.get(ctx);
  if (!s || !ctx.mail) return [];
  const boxes = await ctx.mail.listMailboxes();
  const subscribed = new Set(boxes.filter((b) => b.subscribed).map((b) => b.name));
  const lines: string[] = [];
  for (const b of boxes) {
    if (b.noSelect || isSelected(ctx, b.name)) continue;
    const g = groupFor(s.groups, b.name, subscribed);
    if (!g || !g.events.has('MESSAGENEW')) continue;
    const line = await statusLine(ctx, b.name);
    if (line) lines.push(line);
  }
  return lines;
}

function isSelected(ctx: ImapContext, name: string): boolean {
  return ctx.view !== null && sameName(ctx.view.name, name);
}

/**
 * The responses for everything queued since the last call (untagged, without `* `). After an
 * overflow: `OK [NOTIFICATIONOVERFLOW]` and NOTIFY is off, as after NOTIFY NONE (RFC 5465 5.8).
 */
export async function takeNotifyLines(ctx: ImapContext): Promise<string[]> {
  const s = STATES.get(ctx);
  if (!s || !ctx.mail) return [];
  if (s.overflow) {
    stopNotify(ctx);
    return ['OK [NOTIFICATIONOVERFLOW] Too many notifications; NOTIFY is now off'];
  }
  if (s.queue.length === 0) return [];
  const queue = s.queue;
  s.queue = [];
  const boxes = new Map((await ctx.mail.listMailboxes()).map((b) => [b.name, b]));
  const subscribed = new Set<string>();
  for (const b of boxes.values()) if (b.subscribed) subscribed.add(b.name);
  const lines: string[] = [];
  const statusDone = new Set<string>();
  for (const c of queue) {
    if (c.kind === 'messages' || c.kind === 'flags') {
      if (isSelected(ctx, c.name) || statusDone.has(c.name)) continue;
      const g = groupFor(s.groups, c.name, subscribed);
      if (!g || !g.events.has(c.kind === 'flags' ? 'FLAGCHANGE' : 'MESSAGENEW')) continue;
      statusDone.add(c.name);
      const line = await statusLine(ctx, c.name);
      if (line) lines.push(line);
    } else {
      const want = c.kind === 'list' ? 'MAILBOXNAME' : 'SUBSCRIPTIONCHANGE';
      const g = groupFor(s.groups, c.name, subscribed) ?? (c.oldName !== undefined ? groupFor(s.groups, c.oldName, subscribed) : null);
      if (!g || !g.events.has(want)) continue;
      lines.push(listLine(ctx, c.name, boxes.get(c.name), subscribed.has(c.name), c.oldName));
    }
  }
  return lines;
}

/** MessageNew's fetch-att list for the selected mailbox, or null. */
export function selectedFetchAttributes(ctx: ImapContext): FetchAttribute[] | null {
  const s = STATES.get(ctx);
  if (!s) return null;
  const g = s.groups.find((x) => x.filter === 'SELECTED' || x.filter === 'SELECTED-DELAYED');
  return g && g.events.has('MESSAGENEW') ? g.fetchAttributes : null;
}

/** SELECTED MessageNew with fetch-att: a FETCH of the new messages after EXISTS (RFC 5465 5.2). */
export async function fetchNewMessages(ctx: ImapContext, from: number, to: number): Promise<void> {
  const attributes = selectedFetchAttributes(ctx);
  if (!attributes || !ctx.view || from > to) return;
  await fetch.run(ctx, { name: 'FETCH', uid: false, set: [{ start: from, end: to }], attributes, changedSince: null }, '*');
}
