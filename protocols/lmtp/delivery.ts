/**
 * After DATA or BDAT LAST: store the message once per accepted recipient, in RCPT order, each
 * copy with `Return-Path` and `Delivered-To` prepended, and send each recipient's reply only
 * once its append has resolved (the store acknowledges only durable messages). A few appends
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
  reply: (line: string) => Promise<void>,
  bug: (where: string, err: unknown) => void,
): Promise<void> {
  const start = (rcpt: Recipient): Promise<unknown> =>
    rcpt.store.append('INBOX', Buffer.concat([deliveryHeader(tx.sender, rcpt), body])).then(
      () => null,
      (err: unknown) => err ?? new Error('append failed'),
    );
  const pending: Array<Promise<unknown>> = [];
  let next = 0;
  const fill = () => {
    while (next < tx.recipients.length && pending.length < APPENDS_IN_FLIGHT) pending.push(start(tx.recipients[next++]!));
  };
  fill();
  for (const rcpt of tx.recipients) {
    const err = await pending.shift()!;
    fill();
    if (err === null) {
      await reply(`250 2.0.0 <${rcpt.address}> Saved`);
      continue;
    }
    const failure = lmtpReplyForError(err, rcpt.address);
    if (failure.unexpected) bug('lmtp delivery', err);
    await reply(failure.reply);
  }
}

/** One reply per recipient when the data as a whole was refused (too big, line too long). */
export function refuseAll(tx: Transaction, line: (address: string) => string): string[] {
  return tx.recipients.map((r) => line(r.address));
}
