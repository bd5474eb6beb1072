/**
 * NOTIFY (RFC 5465 8) arguments: `NONE`, or `SET [STATUS] 1*(SP event-group)` where
 * event-group = "(" filter-mailboxes SP events ")". Only syntax is checked here; which events
 * are supported (BADEVENT) and how events may combine is the handler's business.
 */
import type { FetchAttribute, ImapCommand, NotifyGroup } from './commands.ts';
import { Args, CommandError, clip } from './parse-args.ts';
import { parseFetch } from './parse-fetch.ts';
import type { Token } from './tokenizer.ts';

/** Filters that take a mailbox or a parenthesized list of them. */
const WITH_MAILBOXES = new Set(['SUBTREE', 'MAILBOXES']);
/** More groups than this is abuse, not a client. */
const MAX_GROUPS = 100;
const MAX_MAILBOXES = 1000;

export function parseNotify(args: Args): ImapCommand {
  const mode = args.keyword('NOTIFY argument');
  if (mode === 'NONE') {
    args.end();
    return { name: 'NOTIFY', set: null };
  }
  if (mode !== 'SET') throw new CommandError(`Invalid NOTIFY argument ${clip(mode)}: expected SET or NONE`);
  let status = false;
  if (args.peekAtom() === 'STATUS') args.next('STATUS'), (status = true);
  if (!args.more()) throw new CommandError('Missing event group');
  const groups: NotifyGroup[] = [];
  while (args.more()) {
    if (groups.length >= MAX_GROUPS) throw new CommandError('Too many event groups');
    groups.push(parseGroup(args.sub(args.list('event group'))));
  }
  return { name: 'NOTIFY', set: { status, groups } };
}

function parseGroup(g: Args): NotifyGroup {
  const filter = g.keyword('filter');
  const mailboxes: string[] = [];
  if (WITH_MAILBOXES.has(filter)) {
    const t = g.peek();
    if (t && t.type === 'list') {
      const list = g.sub(g.list('mailbox list'));
      if (!list.more()) throw new CommandError('Empty mailbox list');
      while (list.more()) mailboxes.push(list.mailbox());
    } else mailboxes.push(g.mailbox());
    if (mailboxes.length > MAX_MAILBOXES) throw new CommandError('Too many mailboxes');
  }
  const ev = g.next('events');
  g.end();
  if (ev.type === 'atom') {
    if (ev.value.toUpperCase() !== 'NONE') throw new CommandError('Invalid events: expected a list or NONE');
    return { filter, mailboxes, events: [], fetchAttributes: null };
  }
  if (ev.type !== 'list' || ev.items.length === 0) throw new CommandError('Invalid events: expected a non-empty list');
  const events: string[] = [];
  let fetchAttributes: FetchAttribute[] | null = null;
  const items = g.sub(ev.items);
  while (items.more()) {
    const name = items.atom('event');
    events.push(name);
    const next = items.peek();
    if (next && next.type === 'list') {
      if (name.toUpperCase() !== 'MESSAGENEW') throw new CommandError(`Unexpected list after ${clip(name)}`);
      fetchAttributes = fetchAttributesOf(items.list('fetch attributes'), g);
    }
  }
  return { filter, mailboxes, events, fetchAttributes };
}

/** The fetch-att list of MessageNew, read by the FETCH parser on a made-up `1 (...)`. */
function fetchAttributesOf(items: Token[], g: Args): FetchAttribute[] {
  if (items.length === 0) throw new CommandError('Empty fetch attribute list');
  const cmd = parseFetch(g.sub([{ type: 'atom', value: '1' }, { type: 'list', items }]), false);
  if (cmd.name !== 'FETCH') throw new CommandError('Invalid fetch attributes');
  return cmd.attributes;
}
