/**
 * AUTHENTICATE (RFC 3501 6.2.2) with PLAIN (RFC 4616) and LOGIN, and SASL-IR (RFC 4959).
 * Decoding is core/auth/sasl.ts (shared with POP3); a client response of `*` cancels with BAD.
 */
import { createSaslExchange, type SaslFailureReason, type SaslStep } from '../../../core/auth/sasl.ts';
import { completeLogin, plaintextRefused, PRIVACY_REQUIRED } from '../login-flow.ts';
import { NEVER_SEQ, bad, no, type Completion, type CommandHandler } from '../types.ts';

function failure(reason: SaslFailureReason): Completion {
  switch (reason) {
    case 'cancelled':
      return bad('Authentication cancelled.');
    case 'bad-base64':
      return bad('Invalid base64 data.');
    case 'authzid-mismatch':
      // No master users here: an authorization identity must be the user itself.
      return no('Authorization identity refused.', 'AUTHORIZATIONFAILED');
    default:
      return no('Invalid authentication response.', 'AUTHENTICATIONFAILED');
  }
}

export const authenticate: CommandHandler<'AUTHENTICATE'> = {
  name: 'AUTHENTICATE',
  states: ['not-authenticated'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx, cmd) {
    const exchange = createSaslExchange(cmd.mechanism);
    if (!exchange) return no('Unsupported authentication mechanism.');
    if (plaintextRefused(ctx)) return PRIVACY_REQUIRED;
    let step: SaslStep = exchange.start(cmd.initial);
    while (step.kind === 'challenge') {
      await ctx.continuation(step.challenge);
      const line = await ctx.readLine();
      step = exchange.next(line ?? '*');
    }
    if (step.kind === 'error') return failure(step.reason);
    return completeLogin(ctx, step.credentials.user, step.credentials.password);
  },
};
