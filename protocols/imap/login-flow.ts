/**
 * What LOGIN and AUTHENTICATE share once they hold a user name and a password: the plaintext
 * policy, verification (the Authenticator applies the failure delay), the per-connection
 * failure limit, then the connection slot and the user's store.
 */
import { plaintextDisabled } from './capabilities.ts';
import type { Completion, ImapContext } from './types.ts';

export const PRIVACY_REQUIRED: Completion = {
  status: 'NO',
  code: 'PRIVACYREQUIRED',
  text: 'Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
};

export function plaintextRefused(ctx: ImapContext): boolean {
  return plaintextDisabled(ctx.config, ctx.transport);
}

export async function completeLogin(ctx: ImapContext, user: string, password: string): Promise<Completion> {
  if (plaintextRefused(ctx)) return PRIVACY_REQUIRED;
  let result;
  try {
    result = await ctx.server.auth.verify(user, password, ctx.transport.remoteAddress);
  } catch (err) {
    ctx.log.error({ err }, 'imap: authenticator failed');
    return { status: 'NO', code: 'UNAVAILABLE', text: 'Temporary authentication failure.' };
  }
  if (!result.ok) return authFailed(ctx);
  const failure = await ctx.authenticate(result.user ?? user);
  if (failure) return failure;
  return { status: 'OK', code: `CAPABILITY ${ctx.capabilities().join(' ')}`, text: 'Logged in' };
}

/** A failed attempt; the last one allowed also ends the connection. */
export function authFailed(ctx: ImapContext): Completion {
  ctx.authFailures++;
  const failed: Completion = { status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' };
  if (ctx.authFailures >= ctx.config.limits.authFailuresPerConnection) {
    failed.after = () => ctx.goodbye('Too many invalid authentication attempts');
  }
  return failed;
}
