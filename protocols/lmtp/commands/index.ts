/** The LMTP command table: verb -> handler. BDAT reaches it only when its size was unreadable. */
import { badBdat, data } from './data.ts';
import { ehlo, helo, lhlo } from './lhlo.ts';
import { mail } from './mail.ts';
import { rcpt } from './rcpt.ts';
import { noop, quit, rset, vrfy } from './simple.ts';
import type { LmtpCommand } from './types.ts';

const all: LmtpCommand[] = [lhlo, helo, ehlo, mail, rcpt, data, badBdat, rset, noop, quit, vrfy];

export const lmtpCommands: ReadonlyMap<string, LmtpCommand> = new Map(all.map((c) => [c.verb, c]));
