/**
 * AUTHENTICATE (RFC 3501 6.2.2) with PLAIN (RFC 4616) and LOGIN, and SASL-IR (RFC 4959).
 * A client response of `*` cancels the exchange with BAD.
 */
import { completeLogin, plaintextRefused, PRIVACY_REQUIRED } from '../login-flow.ts';
import { NEVER_SEQ, bad, no, type Completion, type CommandHandler, type ImapContext } from '../types.ts';

const CANCELLED = Symbol('cancelled');
const MALFORMED = Symbol('malformed');
type Step = Buffer | typeof CANCELLED | typeof MALFORMED;

/** Decode a SASL response line: `*` cancels, `=` is empty, otherwise strict base64. */
function decode(line: string | null): Step {
  if (line === null || line === '*') return CANCELLED;
  if (line === '=' || line === '') return Buffer.alloc(0);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(line) || line.length % 4 !== 0) return MALFORMED;
  return Buffer.from(line, 'base64');
}

async function ask(ctx: ImapContext, challenge: string): Promise<Step> {
  await ctx.continuation(Buffer.from(challenge).toString('base64'));
  return decode(await ctx.readLine());
}

function stepError(step: typeof CANCELLED | typeof MALFORMED): Completion {
  return step === CANCELLED ? bad('Authentication cancelled.') : bad('Invalid base64 data.');
}

async function plain(ctx: ImapContext, initial: string | null): Promise<Completion> {
  const step = initial !== null ? decode(initial) : await ask(ctx, '');
  if (!Buffer.isBuffer(step)) return stepError(step);
  const parts = step.toString('utf8').split('\0');
  if (parts.length !== 3) return no('Invalid PLAIN response.', 'AUTHENTICATIONFAILED');
  const [authz, authc, password] = parts as [string, string, string];
  // No master users here: an authorization identity must be the user itself.
  if (authz !== '' && authz !== authc) return no('Authorization identity refused.', 'AUTHORIZATIONFAILED');
  return completeLogin(ctx, authc, password);
}

async function login(ctx: ImapContext, initial: string | null): Promise<Completion> {
  const user = initial !== null ? decode(initial) : await ask(ctx, 'Username:');
  if (!Buffer.isBuffer(user)) return stepError(user);
  const password = await ask(ctx, 'Password:');
  if (!Buffer.isBuffer(password)) return stepError(password);
  return completeLogin(ctx, user.toString('utf8'), password.toString('utf8'));
}

export const authenticate: CommandHandler<'AUTHENTICATE'> = {
  name: 'AUTHENTICATE',
  states: ['not-authenticated'],
  flags: { usesSequenceNumbers: NEVER_SEQ, barrier: true },
  async run(ctx, cmd) {
    const mech = cmd.mechanism.toUpperCase();
    if (mech !== 'PLAIN' && mech !== 'LOGIN') return no('Unsupported authentication mechanism.');
    if (plaintextRefused(ctx)) return PRIVACY_REQUIRED;
    return mech === 'PLAIN' ? plain(ctx, cmd.initial) : login(ctx, cmd.initial);
  },
};
