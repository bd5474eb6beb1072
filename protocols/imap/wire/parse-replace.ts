/**
 * REPLACE and UID REPLACE (RFC 8508 6):
 *   replace = "REPLACE" SP seq-number SP mailbox SP append-message
 * append-message is APPEND's: optional flag list, optional date-time, then a literal (a
 * literal8 `~{n}` is accepted too, as APPEND does).
 */
import type { ImapCommand } from './commands.ts';
import { Args, CommandError, parseDateTime, parseFlagList, parseNumber } from './parse-args.ts';
import { parseAppendPayload } from './parse-catenate.ts';

export function parseReplace(args: Args, uid: boolean): ImapCommand {
  const what = uid ? 'UID' : 'message sequence number';
  const raw = args.atom(what);
  // seq-number = nz-number / "*"
  const target = raw === '*' ? '*' : parseNumber(raw, what);
  if (target === 0) throw new CommandError(`Invalid ${what}: 0`);
  const mailbox = args.mailbox();
  let flags: string[] = [];
  let internalDate: Date | null = null;
  if (args.peek()?.type === 'list') flags = parseFlagList(args.list('flags'));
  if (args.peek()?.type === 'quoted') internalDate = parseDateTime(args.next('date-time'));
  // append-data (RFC 4466) includes CATENATE (RFC 4469): REPLACE takes it as APPEND does.
  const payload = parseAppendPayload(args);
  args.end();
  return { name: 'REPLACE', uid, target, mailbox, message: { flags, internalDate, ...payload } };
}

/**
 * append-data: a literal (or literal8), or RFC 6855's `UTF8 (~{n}...)`, which is only valid
 * once UTF8=ACCEPT (or IMAP4rev2) is enabled.
 */
export function appendData(args: Args): Buffer {
  const t = args.next('message literal');
  if (t.type === 'literal') return t.value;
  if (t.type === 'atom' && t.value.toUpperCase() === 'UTF8') {
    if (!args.ctx.utf8Accept) throw new CommandError('APPEND UTF8 needs ENABLE UTF8=ACCEPT');
    const inner = args.list('UTF8 message');
    const lit = inner[0];
    if (inner.length !== 1 || !lit || lit.type !== 'literal' || !lit.binary) {
      throw new CommandError('Invalid UTF8 message: expected (~{n} literal8)');
    }
    return lit.value;
  }
  throw new CommandError('Invalid message: expected a literal');
}
