/**
 * IDLE (RFC 2177): `+ idling`, then updates as other sessions make them, until `DONE`.
 * Any other line ends IDLE with BAD. Reading raw lines needs the parser stopped: a barrier.
 */
import { NEVER_SEQ, bad, ok, type CommandHandler, type ImapContext } from '../types.ts';

/**
 * Sends updates while idling, one report at a time. A small class with a bound `report`, not a
 * named closure: an idle session holds its listener for hours, and under tsx every named
 * closure also carries its own property array (~300 bytes).
 */
class IdleReporter {
  readonly report: () => void;
  reporting: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ImapContext) {
    this.report = this.queue.bind(this);
  }

  private queue(): void {
    this.reporting = this.reporting.then(() => this.ctx.reportUpdates(true)).catch((err) => {
      this.ctx.log.error({ err }, 'imap: IDLE update failed');
    });
  }
}

export const idle: CommandHandler<'IDLE'> = {
  name: 'IDLE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx) {
    await ctx.continuation('idling');
    // Report what is pending right away, then on every change.
    const reporter = new IdleReporter(ctx);
    const unwatch = ctx.watchView(reporter.report);
    reporter.report();
    try {
      const line = await ctx.readLine();
      if (line === null) return ok('Connection closed.');
      if (line.trim().toUpperCase() !== 'DONE') return bad('Expected DONE.');
      return ok('Idle completed.');
    } finally {
      unwatch();
      await reporter.reporting;
    }
  },
};
