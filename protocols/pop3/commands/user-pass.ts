/** USER / PASS (RFC 1939 section 7). The password is the whole rest of the line: it may hold spaces. */
import type { Pop3Command, Pop3Context } from './types.ts';

export const PLAINTEXT_REFUSED = '-ERR [AUTH] Plaintext authentication disallowed on non-secure connections';

export const user: Pop3Command = {
  name: 'USER',
  states: ['AUTHORIZATION'],
  async run(ctx, _args, rest) {
    if (!ctx.plaintextAllowed()) return ctx.reply(PLAINTEXT_REFUSED);
    if (rest.length === 0) return ctx.reply('-ERR USER needs a user name.');
    ctx.pendingUser = rest;
    await ctx.reply('+OK');
  },
};

export const pass: Pop3Command = {
  name: 'PASS',
  states: ['AUTHORIZATION'],
  async run(ctx, _args, rest) {
    if (!ctx.plaintextAllowed()) return ctx.reply(PLAINTEXT_REFUSED);
    const name = ctx.pendingUser;
    ctx.pendingUser = null;
    if (name === null) return ctx.reply('-ERR No user name given.');
    await verifyAndLogin(ctx, name, rest);
  },
};

/** Shared by PASS and AUTH PLAIN. */
export async function verifyAndLogin(ctx: Pop3Context, name: string, password: string): Promise<void> {
  let result;
  try {
    result = await ctx.server.auth.verify(name, password, ctx.transport.remoteAddress);
  } catch (err) {
    ctx.bug('pop3 verify', err);
    return ctx.reply('-ERR [SYS/TEMP] Authentication service is unavailable.');
  }
  if (ctx.closed) return;
  if (!result.ok) return ctx.authFailed();
  await ctx.login(result.user ?? name);
}
