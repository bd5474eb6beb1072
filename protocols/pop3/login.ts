/**
 * After a successful authentication: take a per-user connection slot, open the user's store,
 * take the POP3 exclusive lock on INBOX and open it read-write. Anything taken is given back
 * when a later step fails, or when the connection went away meanwhile.
 */
import type { ServerContext } from '../net/types.ts';
import { Maildrop } from './maildrop.ts';
import { pop3ReplyForError } from './storage-errors.ts';

export type OpenResult = { ok: true; maildrop: Maildrop } | { ok: false; reply: string | null };

export async function openMaildrop(
  server: ServerContext,
  user: string,
  sessionId: string,
  isClosed: () => boolean,
  bug: (where: string, err: unknown) => void,
): Promise<OpenResult> {
  const releaseConnection = server.connections.acquireUser(user);
  if (!releaseConnection) return { ok: false, reply: '-ERR [SYS/TEMP] Too many connections for this user.' };
  const undo: Array<() => unknown> = [releaseConnection];
  const giveBack = async (reply: string | null): Promise<OpenResult> => {
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch {
        // Releasing is best effort; the original failure is what the client hears about.
      }
    }
    return { ok: false, reply };
  };
  const fail = (err: unknown) => {
    const failure = pop3ReplyForError(err);
    if (failure.unexpected) bug('pop3 login', err);
    return giveBack(failure.reply);
  };
  try {
    const store = await server.store.openUser(user);
    undo.push(() => store.release());
    if (isClosed()) return giveBack(null);
    const unlock = await store.lockExclusive('INBOX', sessionId);
    undo.push(unlock);
    if (isClosed()) return giveBack(null);
    const view = await store.openMailbox('INBOX', { readOnly: false });
    undo.push(() => view.close());
    if (isClosed()) return giveBack(null);
    return { ok: true, maildrop: new Maildrop({ store, unlock, view, releaseConnection }) };
  } catch (err) {
    return fail(err);
  }
}
