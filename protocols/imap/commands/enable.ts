/**
 * ENABLE (RFC 5161): only extensions listed in ENABLEABLE; others are silently ignored.
 * IMAP4rev2 (RFC 9051) and UTF8=ACCEPT (RFC 6855) change how later commands are parsed
 * (UTF-8 mailbox names), so ENABLE is a barrier: nothing after it is parsed before it ran.
 */
import { ENABLEABLE } from '../capabilities.ts';
import { IMAP4REV2, UTF8_ACCEPT, hideRecent } from '../rev2.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

/** How ENABLED spells a capability (ENABLE's argument is case-insensitive). */
const SPELLING: Record<string, string> = { [IMAP4REV2]: 'IMAP4rev2' };

export const enable: CommandHandler<'ENABLE'> = {
  name: 'ENABLE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx, cmd) {
    const turnedOn: string[] = [];
    for (const raw of cmd.capabilities) {
      const capName = raw.toUpperCase();
      if (ENABLEABLE.has(capName) && !ctx.enabled.has(capName)) {
        ctx.enabled.add(capName);
        turnedOn.push(SPELLING[capName] ?? capName);
      }
    }
    // RFC 7162 3.2.3: QRESYNC implies CONDSTORE (not listed in ENABLED unless asked for).
    if (ctx.enabled.has('QRESYNC')) ctx.enabled.add('CONDSTORE');
    if (ctx.enabled.has(IMAP4REV2) || ctx.enabled.has(UTF8_ACCEPT)) ctx.setUtf8Accept?.(true);
    // Enabled while a mailbox is selected: \Recent disappears from then on.
    if (ctx.enabled.has(IMAP4REV2) && ctx.view) hideRecent(ctx.view);
    await ctx.untagged(turnedOn.length > 0 ? `ENABLED ${turnedOn.join(' ')}` : 'ENABLED');
    return ok('Enabled.');
  },
};
