/**
 * After DATA or BDAT LAST: store the message once per accepted recipient, in RCPT order, each
 * copy with `Return-Path` and `Delivered-To` prepended, and send each recipient's reply only
 * once its append has resolved (the store acknowledges only durable messages); replies that are
 * ready together are written together. A few appends
 * run ahead of the reply being written; the window bounds memory, since each recipient's copy
 * of the message is its own buffer.
 */
import { lmtpReplyForError } from './storage-errors.ts';
import type { Recipient, Transaction } from './transaction.ts';

const APPENDS_IN_FLIGHT = 4;

export function deliveryHeader(sender: string, rcpt: Recipient): Buffer {
  return Buffer.from(`Return-Path: <${sender}>\r\nDelivered-To: ${rcpt.address}\r\n`);
}

export async function deliverToAll(
  tx: Transaction,
  body: Buffer,
  reply: (...lines: string[]) => Promise<void>,
  bug: (where: string, err: unknown) => void,
): Promise<void> {
  type Pending = { done: Promise<unknown>; settled: boolean; err: unknown };
  const start = (rcpt: Recipient): Pending => {
    const p: Pending = { done: Promise.resolve(), settled: false, err: null };
    p.done = rcpt.store.append('INBOX', Buffer.concat([deliveryHeader(tx.sender, rcpt), body])).then(
      () => void (p.settled = true),
      (err: unknown) => void ((p.settled = true), (p.err = err ?? new Error('append failed'))),
    );
    return p;
  };
  const pending: Pending[] = [];
  let next = 0;
  const fill = () => {
    while (next < tx.recipients.length && pending.length < APPENDS_IN_FLIGHT) pending.push(start(tx.recipients[next++]!));
  };
  fill();
  // Replies of appends that are already durable go out in one write (a socket write costs
  // more than the reply); a reply is never held back waiting for a later append.
  let lines: string[] = [];
  for (let i = 0; i < tx.recipients.length; i++) {
    const rcpt = tx.recipients[i]!;
    const p = pending.shift()!;
    if (!p.settled && lines.length > 0) {
      await reply(...lines);
      lines = [];
    }
    await p.done;
    fill();
    if (p.err === null) {
      lines.push(`250 2.0.0 <${rcpt.address}> Saved`);
    } else {
      const failure = lmtpReplyForError(p.err, rcpt.address);
      if (failure.unexpected) bug('lmtp delivery', p.err);
      lines.push(failure.reply);
    }
  }
  if (lines.length > 0) await reply(...lines);
}

/** One reply per recipient when the data as a whole was refused (too big, line too long). */
export function refuseAll(tx: Transaction, line: (address: string) => string): string[] {
  return tx.recipients.map((r) => line(r.address));
}
