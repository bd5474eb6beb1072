/** ENABLE (RFC 5161): only extensions listed in ENABLEABLE; others are silently ignored. */
import { ENABLEABLE } from '../capabilities.ts';
import { NEVER_SEQ, ok, type CommandHandler } from '../types.ts';

export const enable: CommandHandler<'ENABLE'> = {
  name: 'ENABLE',
  states: ['authenticated', 'selected'],
  flags: { usesSequenceNumbers: NEVER_SEQ },
  async run(ctx, cmd) {
    const turnedOn: string[] = [];
    for (const raw of cmd.capabilities) {
      const capName = raw.toUpperCase();
      if (ENABLEABLE.has(capName) && !ctx.enabled.has(capName)) {
        ctx.enabled.add(capName);
        turnedOn.push(capName);
      }
    }
    await ctx.untagged(turnedOn.length > 0 ? `ENABLED ${turnedOn.join(' ')}` : 'ENABLED');
    return ok('Enabled.');
  },
};
