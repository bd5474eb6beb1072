/** LOGIN (RFC 3501 6.2.3). */
import { completeLogin } from '../login-flow.ts';
import { NEVER_SEQ, type CommandHandler } from '../types.ts';

export const login: CommandHandler<'LOGIN'> = {
  name: 'LOGIN',
  states: ['not-authenticated'],
  // Literal limits change once authenticated: parse nothing further until this is done.
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  run: (ctx, cmd) => completeLogin(ctx, cmd.user, cmd.password),
};
