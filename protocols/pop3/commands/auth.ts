/**
 * AUTH (RFC 5034) with the PLAIN mechanism (RFC 4616), with an initial response or through a
 * `+ ` continuation; `*` cancels. A bare `AUTH` lists the mechanisms, as Outlook expects.
 */
import { multilineLines } from '../wire/message-text.ts';
import type { Pop3Command, Pop3Context } from './types.ts';
import { PLAINTEXT_REFUSED, verifyAndLogin } from './user-pass.ts';

export const auth: Pop3Command = {
  name: 'AUTH',
  states: ['AUTHORIZATION'],
  async run(ctx, args) {
    const mechanism = args[0]?.toUpperCase();
    if (mechanism === undefined) {
      return ctx.write('+OK\r\n' + multilineLines(ctx.plaintextAllowed() ? ['PLAIN'] : []));
    }
    if (mechanism !== 'PLAIN') return ctx.reply('-ERR Unsupported authentication mechanism.');
    if (!ctx.plaintextAllowed()) return ctx.reply(PLAINTEXT_REFUSED);
    if (args.length > 2) return ctx.reply('-ERR Too many arguments.');
    let response = args[1];
    if (response === undefined) {
      await ctx.reply('+ ');
      const line = await ctx.readLine();
      if (line === null) return;
      if (line === '*') return ctx.reply('-ERR Authentication cancelled.');
      response = line;
    }
    await authPlain(ctx, response);
  },
};

async function authPlain(ctx: Pop3Context, response: string): Promise<void> {
  const decoded = decodePlain(response);
  // No master users: an authorization identity must be the authentication identity.
  if (!decoded || (decoded.authzid !== '' && decoded.authzid !== decoded.authcid)) return ctx.authFailed();
  await verifyAndLogin(ctx, decoded.authcid, decoded.password);
}

/** Strict base64 and exactly `authzid NUL authcid NUL password`; null when malformed. */
export function decodePlain(response: string): { authzid: string; authcid: string; password: string } | null {
  const b64 = response === '=' ? '' : response;
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return null;
  const parts = Buffer.from(b64, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return null;
  const [authzid, authcid, password] = parts as [string, string, string];
  if (authcid.length === 0) return null;
  return { authzid, authcid, password };
}
