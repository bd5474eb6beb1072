/** The command table the dispatcher consults: one handler per command name. */
import type { CommandHandler } from '../types.ts';
import type { ImapCommandName } from '../wire/commands.ts';
import { deleteAcl, getAcl, listRights, myRights, setAcl } from './acl.ts';
import { append } from './append.ts';
import { authenticate } from './authenticate.ts';
import { cancelUpdate } from './cancelupdate.ts';
import { capability } from './capability.ts';
import { check } from './check.ts';
import { close } from './close.ts';
import { compress } from './compress.ts';
import { copy } from './copy.ts';
import { create } from './create.ts';
import { deleteMailbox } from './delete.ts';
import { enable } from './enable.ts';
import { examine } from './examine.ts';
import { expunge } from './expunge.ts';
import { fetch } from './fetch.ts';
import { getMetadata } from './getmetadata.ts';
import { getQuota } from './getquota.ts';
import { getQuotaRoot } from './getquotaroot.ts';
import { id } from './id.ts';
import { idle } from './idle.ts';
import { list } from './list.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { lsub } from './lsub.ts';
import { move } from './move.ts';
import { namespace } from './namespace.ts';
import { noop } from './noop.ts';
import { notify } from './notify.ts';
import { rename } from './rename.ts';
import { replace } from './replace.ts';
import { search } from './search.ts';
import { select } from './select.ts';
import { setMetadata } from './setmetadata.ts';
import { setQuota } from './setquota.ts';
import { sort } from './sort.ts';
import { starttls } from './starttls.ts';
import { status } from './status.ts';
import { store } from './store.ts';
import { subscribe } from './subscribe.ts';
import { thread } from './thread.ts';
import { uidExpunge } from './uid-expunge.ts';
import { unselect } from './unselect.ts';
import { unsubscribe } from './unsubscribe.ts';

const ALL: CommandHandler<never>[] = [
  append, authenticate, cancelUpdate, capability, check, close, compress, copy, create, deleteMailbox, enable, examine,
  expunge, fetch, id, idle, list, login, logout, lsub, move, namespace, noop, rename, replace, search,
  select, starttls, status, store, subscribe, uidExpunge, sort, thread, unselect, unsubscribe,
  getQuota, getQuotaRoot, setQuota, getMetadata, setMetadata,
  myRights, getAcl, listRights, setAcl, deleteAcl, notify,
] as unknown as CommandHandler<never>[];

export const HANDLERS: ReadonlyMap<ImapCommandName, CommandHandler> = new Map(
  ALL.map((h) => [h.name as ImapCommandName, h as unknown as CommandHandler]),
);
