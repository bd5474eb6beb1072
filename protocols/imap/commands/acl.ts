/**
 * ACL (RFC 4314): MYRIGHTS, GETACL, LISTRIGHTS, SETACL, DELETEACL. Rights live with the store
 * (UserMailStore getAcl/setAcl/myRights, core/storage/acl.ts); the owner always has every right,
 * so SETACL/DELETEACL of the owner's own identifier are refused. Missing mailboxes are
 * NONEXISTENT through the store's NOT_FOUND.
 */
import { ALL_RIGHTS, modifyRights } from '../../../core/storage/acl.ts';
import type { UserMailStore } from '../../../core/storage/mail-store.ts';
import { astring, mailboxChunks } from '../encode.ts';
import { utf8Names } from '../rev2.ts';
import { NEVER_SEQ, no, ok, type Chunk, type CommandHandler, type Completion, type ImapContext } from '../types.ts';

type AclStore = Required<Pick<UserMailStore, 'getAcl' | 'setAcl' | 'myRights'>>;

function aclStore(ctx: ImapContext): AclStore | null {
  const m = ctx.mail!;
  return m.getAcl && m.setAcl && m.myRights ? (m as unknown as AclStore) : null;
}

const UNAVAILABLE: Completion = no('ACL is not available.', 'UNAVAILABLE');
const states = ['authenticated', 'selected'] as const;
const flags = { usesSequenceNumbers: NEVER_SEQ };

function ownerRefusal(ctx: ImapContext, id: string): Completion | null {
  return id === ctx.user ? no('The owner always has all rights.', 'CANNOT') : null;
}

export const myRights: CommandHandler<'MYRIGHTS'> = {
  name: 'MYRIGHTS', states, flags,
  async run(ctx, cmd) {
    const acl = aclStore(ctx);
    if (!acl) return UNAVAILABLE;
    const rights = await acl.myRights(cmd.mailbox);
    await ctx.untagged('MYRIGHTS ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), ' ', ...astring(rights));
    return ok('Myrights completed.');
  },
};

export const getAcl: CommandHandler<'GETACL'> = {
  name: 'GETACL', states, flags,
  async run(ctx, cmd) {
    const acl = aclStore(ctx);
    if (!acl) return UNAVAILABLE;
    const entries = await acl.getAcl(cmd.mailbox);
    const chunks: Chunk[] = ['ACL ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), ' ', ...astring(ctx.user!), ' ', ALL_RIGHTS];
    for (const [id, rights] of [...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (id !== ctx.user) chunks.push(' ', ...astring(id), ' ', ...astring(rights));
    }
    await ctx.untagged(...chunks);
    return ok('Getacl completed.');
  },
};

export const listRights: CommandHandler<'LISTRIGHTS'> = {
  name: 'LISTRIGHTS', states, flags,
  async run(ctx, cmd) {
    const acl = aclStore(ctx);
    if (!acl) return UNAVAILABLE;
    await acl.getAcl(cmd.mailbox); // NONEXISTENT for a missing mailbox
    const head = ['LISTRIGHTS ', ...mailboxChunks(cmd.mailbox, utf8Names(ctx)), ' ', ...astring(cmd.identifier)];
    // The owner's rights are all required; anyone else may be granted each right on its own.
    if (cmd.identifier === ctx.user) await ctx.untagged(...head, ' ', ALL_RIGHTS);
    else await ctx.untagged(...head, ' "" ', [...ALL_RIGHTS].join(' '));
    return ok('Listrights completed.');
  },
};

export const setAcl: CommandHandler<'SETACL'> = {
  name: 'SETACL', states, flags,
  async run(ctx, cmd) {
    const acl = aclStore(ctx);
    if (!acl) return UNAVAILABLE;
    const refused = ownerRefusal(ctx, cmd.identifier);
    const current = (await acl.getAcl(cmd.mailbox)).get(cmd.identifier) ?? '';
    if (refused) return refused;
    const next = modifyRights(current, cmd.rights);
    if (next === null) return no('Invalid rights.', 'CLIENTBUG');
    await acl.setAcl(cmd.mailbox, cmd.identifier, next === '' ? null : next);
    return ok('Setacl completed.');
  },
};

export const deleteAcl: CommandHandler<'DELETEACL'> = {
  name: 'DELETEACL', states, flags,
  async run(ctx, cmd) {
    const acl = aclStore(ctx);
    if (!acl) return UNAVAILABLE;
    await acl.getAcl(cmd.mailbox); // NONEXISTENT first, as for any mailbox command
    const refused = ownerRefusal(ctx, cmd.identifier);
    if (refused) return refused;
    await acl.setAcl(cmd.mailbox, cmd.identifier, null);
    return ok('Deleteacl completed.');
  },
};
