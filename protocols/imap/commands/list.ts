/**
 * LIST (RFC 3501 6.3.8) with LIST-EXTENDED (RFC 5258) selection and return options,
 * SPECIAL-USE attributes (RFC 6154), CHILDREN (RFC 3348), LIST-STATUS (RFC 5819) and
 * LIST-MYRIGHTS (RFC 8440).
 */
import { HIERARCHY_DELIMITER } from '../../../core/storage/mail-store.ts';
import { mailboxChunks } from '../encode.ts';
import { utf8Names } from '../rev2.ts';
import { statusExtras } from '../status-extra.ts';
import { matchEntries, patternMatcher, type ListEntry } from '../mailbox-tree.ts';
import { statusAttributes } from '../status-items.ts';
import { listMyRights } from '../list-myrights.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

function attributes(e: ListEntry, showSubscribed: boolean): string[] {
  const attrs: string[] = [];
  // A level that exists only as a parent: \Noselect, which every client understands.
  if (e.implied || e.info!.noSelect) attrs.push('\\Noselect');
  attrs.push(e.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (showSubscribed && e.info?.subscribed) attrs.push('\\Subscribed');
  if (e.info?.specialUse) attrs.push(e.info.specialUse);
  return attrs;
}

export const list: CommandHandler<'LIST'> = {
  name: 'LIST',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const d = HIERARCHY_DELIMITER;
    if (cmd.patterns.length === 1 && cmd.patterns[0] === '' && cmd.selection.length === 0) {
      // LIST "" "": the hierarchy delimiter and root.
      await ctx.untagged(`LIST (\\Noselect) "${d}" ""`);
      return ok('List completed.');
    }
    const subscribedOnly = cmd.selection.includes('SUBSCRIBED');
    const specialOnly = cmd.selection.includes('SPECIAL-USE');
    const recursive = cmd.selection.includes('RECURSIVEMATCH');
    const showSubscribed = subscribedOnly || cmd.return.includes('SUBSCRIBED');
    const boxes = await ctx.mail!.listMailboxes();
    const matchers = cmd.patterns.map((p) => patternMatcher(cmd.reference, p));
    // RFC 3501: `%` returns levels that only exist as parents, flagged.
    const implied = cmd.patterns.some((p) => p.includes('%')) && !subscribedOnly && !specialOnly;
    const entries = matchEntries(boxes, matchers, implied);
    const subscribedNames = boxes.filter((b) => b.subscribed).map((b) => b.name);

    for (const e of entries) {
      const isSubscribed = e.info?.subscribed ?? false;
      let childInfo = false;
      if (subscribedOnly && !isSubscribed) {
        // RECURSIVEMATCH: a parent of a subscribed mailbox is listed with CHILDINFO.
        childInfo = recursive && subscribedNames.some((n) => n.startsWith(e.name + d));
        if (!childInfo) continue;
      }
      if (specialOnly && !e.info?.specialUse) continue;
      const attrs = attributes(e, showSubscribed);
      const extra = childInfo ? ' ("CHILDINFO" ("SUBSCRIBED"))' : '';
      await ctx.untagged(`LIST (${attrs.join(' ')}) "${d}" `, ...mailboxChunks(e.name, utf8Names(ctx)), extra);
      if (cmd.return.includes('MYRIGHTS') && e.info && !e.info.noSelect) await listMyRights(ctx, e.name);
      if (cmd.returnStatus && e.info && !e.info.noSelect) {
        try {
          const st = await ctx.mail!.status(e.name);
          const extra = await statusExtras(ctx.mail!, e.name, cmd.returnStatus.items);
          await ctx.untagged('STATUS ', ...mailboxChunks(e.name, utf8Names(ctx)), ' ', statusAttributes(st, cmd.returnStatus.items, { ...extra, appendLimit: ctx.config.limits.messageSize }));
        } catch (err) {
          ctx.log.debug({ err, mailbox: e.name }, 'imap: LIST-STATUS skipped a mailbox');
        }
      }
    }
    return ok('List completed.');
  },
};
