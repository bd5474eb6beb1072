/**
 * AUTH (RFC 5034) over the shared SASL exchanges (core/auth/sasl.ts: PLAIN and LOGIN), with an
 * initial response or through `+ ` continuations; `*` cancels. A bare `AUTH` lists the
 * mechanisms, as Outlook expects. Both mechanisms carry plaintext passwords, so both follow
 * disablePlaintextAuth.
 */
import { SASL_MECHANISMS, createSaslExchange } from '../../../core/auth/sasl.ts';
import { multilineLines } from '../wire/message-text.ts';
import type { Pop3Command } from './types.ts';
import { PLAINTEXT_REFUSED, verifyAndLogin } from './user-pass.ts';

export const POP3_SASL_MECHANISMS: readonly string[] = SASL_MECHANISMS;

export const auth: Pop3Command = {
  name: 'AUTH',
  states: ['AUTHORIZATION'],
  async run(ctx, args) {
    const mechanism = args[0];
    if (mechanism === undefined) {
      return ctx.write('+OK\r\n' + multilineLines(ctx.plaintextAllowed() ? [...POP3_SASL_MECHANISMS] : []));
    }
    const exchange = createSaslExchange(mechanism);
    if (!exchange) return ctx.reply('-ERR Unsupported authentication mechanism.');
    if (!ctx.plaintextAllowed()) return ctx.reply(PLAINTEXT_REFUSED);
    if (args.length > 2) return ctx.reply('-ERR Too many arguments.');
    let step = exchange.start(args[1] ?? null);
    while (step.kind === 'challenge') {
      await ctx.reply(`+ ${step.challenge}`);
      const line = await ctx.readLine();
      if (line === null) return;
      step = exchange.next(line);
    }
    if (step.kind === 'error') {
      if (step.reason === 'cancelled') return ctx.reply('-ERR Authentication cancelled.');
      return ctx.authFailed();
    }
    await verifyAndLogin(ctx, step.credentials.user, step.credentials.password);
  },
};
