/** The POP3 command table: keyword -> handler. */
import { auth } from './auth.ts';
import { capa } from './capa.ts';
import { list, stat, uidl } from './listing.ts';
import { dele, noop, rset } from './marks.ts';
import { quit } from './quit.ts';
import { retr, top } from './retrieve.ts';
import { stls } from './stls.ts';
import type { Pop3Command } from './types.ts';
import { pass, user } from './user-pass.ts';

const all: Pop3Command[] = [capa, user, pass, auth, stls, quit, stat, list, uidl, retr, top, dele, rset, noop];

export const pop3Commands: ReadonlyMap<string, Pop3Command> = new Map(all.map((c) => [c.name, c]));
