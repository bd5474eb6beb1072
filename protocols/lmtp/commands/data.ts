/**
 * DATA (RFC 5321 section 4.1.1.4, RFC 2033 section 4.2) and BDAT (RFC 3030): gather the
 * message, then deliver with one reply per accepted recipient. A transaction uses one or the
 * other, never both. The body bytes themselves are framed by the parser (data / bdat events).
 */
import { deliverToAll, refuseAll } from '../delivery.ts';
import { normalizeLineEnds, type DataResult } from '../wire/data-reader.ts';
import type { LmtpCommand, LmtpContext } from './types.ts';

export const data: LmtpCommand = {
  verb: 'DATA',
  async run(ctx, args) {
    const tx = ctx.tx;
    if (!tx) return ctx.reply('503 5.5.1 MAIL needed first');
    if (tx.usedBdat) return ctx.reply('503 5.5.1 DATA cannot be mixed with BDAT');
    if (tx.recipients.length === 0) return ctx.reply('503 5.5.1 No valid recipients');
    if (args.trim() !== '') return ctx.reply('501 5.5.4 DATA takes no arguments');
    await ctx.reply('354 Start mail input; end with <CRLF>.<CRLF>');
    ctx.beginData();
  },
};

/** The parser saw the final "." of a DATA body. */
export async function finishData(ctx: LmtpContext, result: DataResult): Promise<void> {
  const tx = ctx.tx;
  if (!tx) return;
  try {
    if (result.problem === 'too-big' || !result.message) {
      const text = result.problem === 'line-too-long' ? 'Line too long' : 'Message too big';
      await ctx.reply(...refuseAll(tx, (a) => `552 5.3.4 <${a}> ${text}`));
      return;
    }
    await deliverToAll(tx, result.message, (...lines) => ctx.reply(...lines), (w, e) => ctx.bug(w, e));
  } finally {
    await ctx.resetTransaction();
  }
}

/** A whole BDAT chunk has arrived (always consumed, even when refused). */
export async function receiveChunk(
  ctx: LmtpContext,
  event: { size: number; last: boolean; chunk: Buffer | null },
): Promise<void> {
  const tx = ctx.tx;
  if (!tx) return ctx.reply('503 5.5.1 MAIL needed first');
  if (tx.recipients.length === 0) return ctx.reply('503 5.5.1 No valid recipients');
  tx.usedBdat = true;
  const limit = ctx.server.config.limits.messageSize;
  if (event.chunk === null || tx.chunkBytes + event.size > limit) {
    // RFC 3030: after an error the client sends no more chunks; the transaction is over.
    const lines = event.last ? refuseAll(tx, (a) => `552 5.3.4 <${a}> Message too big`) : ['552 5.3.4 Message too big'];
    await ctx.resetTransaction();
    return ctx.reply(...lines);
  }
  tx.chunks.push(event.chunk);
  tx.chunkBytes += event.size;
  if (!event.last) return ctx.reply(`250 2.0.0 ${event.size} octets received`);
  const body = normalizeLineEnds(Buffer.concat(tx.chunks));
  tx.chunks = [];
  try {
    await deliverToAll(tx, body, (...lines) => ctx.reply(...lines), (w, e) => ctx.bug(w, e));
  } finally {
    await ctx.resetTransaction();
  }
}

/** `BDAT` whose size could not be read: its data cannot be told from commands, so we hang up. */
export const badBdat: LmtpCommand = {
  verb: 'BDAT',
  async run(ctx) {
    await ctx.resetTransaction();
    await ctx.reply('501 5.5.4 Invalid BDAT size, closing connection');
    await ctx.close();
  },
};
