/**
 * IDLE (RFC 2177): `+ idling`, then updates as other sessions make them, until `DONE`.
 * Any other line ends IDLE with BAD. Reading raw lines needs the parser stopped: a barrier.
 */
import { NEVER_SEQ, bad, ok, type CommandHandler } from '../types.ts';

export const idle: CommandHandler<'IDLE'> = {
  name: 'IDLE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx) {
    await ctx.continuation('idling');
    // Report what is pending right away, then on every change; one report at a time.
    let reporting = Promise.resolve();
    const report = (): void => {
      reporting = reporting.then(() => ctx.reportUpdates(true)).catch((err) => {
        ctx.log.error({ err }, 'imap: IDLE update failed');
      });
    };
    const unwatch = ctx.watchView(report);
    report();
    try {
      const line = await ctx.readLine();
      if (line === null) return ok('Connection closed.');
      if (line.trim().toUpperCase() !== 'DONE') return bad('Expected DONE.');
      return ok('Idle completed.');
    } finally {
      unwatch();
      await reporting;
    }
  },
};
