/**
 * A user's whole index: the mailbox list (root), subscriptions, and one MailboxIndex per
 * selectable mailbox. `apply` is the only mutator; it is deterministic and never does I/O.
 */
import { StorageError } from '../storage/errors.ts';
import { HIERARCHY_DELIMITER, type SpecialUse } from '../storage/mail-store.ts';
import { GUID_BYTES, MailboxIndex } from './mailbox-index.ts';
import type { JournalRecord } from './records.ts';

export interface MailboxEntry {
  name: string;
  guid: string;
  specialUse: SpecialUse | null;
  /** Placeholder kept for its children after DELETE: no index, cannot be selected. */
  noSelect: boolean;
  index: MailboxIndex | null;
}

export interface RootState {
  lastUidValidity: number;
  subscriptions: string[];
  /** Message GUIDs whose objects are to be deleted (absent in bundles written before it existed). */
  pendingPurge?: string[];
  mailboxes: { name: string; guid: string; specialUse: SpecialUse | null; noSelect: boolean }[];
}

export class UserIndex {
  readonly mailboxes = new Map<string, MailboxEntry>();
  readonly byGuid = new Map<string, MailboxEntry>();
  readonly subscriptions = new Set<string>();
  readonly pendingPurge = new Set<string>();
  lastUidValidity = 0;

  get(name: string): MailboxEntry | undefined {
    return this.mailboxes.get(name);
  }

  /** A selectable mailbox's index, or NOT_FOUND. */
  selectable(name: string): MailboxEntry & { index: MailboxIndex } {
    const e = this.mailboxes.get(name);
    if (!e || e.noSelect || !e.index) throw new StorageError('NOT_FOUND', `no such mailbox: ${name}`);
    return e as MailboxEntry & { index: MailboxIndex };
  }

  hasChildren(name: string): boolean {
    const p = name + HIERARCHY_DELIMITER;
    for (const n of this.mailboxes.keys()) if (n.startsWith(p)) return true;
    return false;
  }

  /** Next UIDVALIDITY: seconds since epoch, but strictly growing within the user. */
  nextUidValidity(now = Date.now()): number {
    return Math.max(this.lastUidValidity + 1, Math.floor(now / 1000)) >>> 0 || 1;
  }

  apply(r: JournalRecord): void {
    switch (r.t) {
      case 'create': {
        // Replaying a journal over a snapshot that already has it must change nothing.
        if (this.byGuid.get(r.guid)?.name === r.name) return;
        const old = this.mailboxes.get(r.name);
        if (old) this.byGuid.delete(old.guid);
        const e: MailboxEntry = {
          name: r.name,
          guid: r.guid,
          specialUse: r.specialUse,
          noSelect: false,
          index: new MailboxIndex({ guid: r.guid, uidValidity: r.uidValidity, uidNext: 1, highestModseq: 1, firstRecentUid: 1 }),
        };
        this.add(e);
        this.lastUidValidity = Math.max(this.lastUidValidity, r.uidValidity);
        return;
      }
      case 'delete': {
        const e = this.mailboxes.get(r.name);
        if (!e) return;
        this.byGuid.delete(e.guid);
        if (this.hasChildren(r.name)) {
          e.noSelect = true;
          e.index = null;
          e.specialUse = null;
          this.byGuid.set(e.guid, e);
        } else {
          this.mailboxes.delete(r.name);
          this.dropEmptyPlaceholders(r.name);
        }
        return;
      }
      case 'rename': {
        const moved = [...this.mailboxes.values()].filter((e) => e.name === r.from || e.name.startsWith(r.from + HIERARCHY_DELIMITER));
        for (const e of moved) this.mailboxes.delete(e.name);
        for (const e of moved) {
          const oldName = e.name;
          e.name = r.to + oldName.slice(r.from.length);
          this.mailboxes.set(e.name, e);
          if (this.subscriptions.delete(oldName)) this.subscriptions.add(e.name);
        }
        this.dropEmptyPlaceholders(r.from);
        return;
      }
      case 'rename-inbox': {
        const inbox = this.mailboxes.get('INBOX');
        if (!inbox) return;
        this.mailboxes.delete('INBOX');
        inbox.name = r.to;
        inbox.specialUse = null;
        this.mailboxes.set(r.to, inbox);
        this.apply({ t: 'create', name: 'INBOX', guid: r.newGuid, uidValidity: r.uidValidity, specialUse: null });
        return;
      }
      case 'purge':
        for (const g of r.guids) {
          if (r.on) this.pendingPurge.add(g);
          else this.pendingPurge.delete(g);
        }
        return;
      case 'sub':
        if (r.on) this.subscriptions.add(r.name);
        else this.subscriptions.delete(r.name);
        return;
      case 'append': {
        const idx = this.byGuid.get(r.mb)?.index;
        if (idx && r.m.uid >= idx.uidNext) idx.append(r.m);
        return;
      }
      case 'flags': {
        const idx = this.byGuid.get(r.mb)?.index;
        if (!idx) return;
        for (let i = 0; i < r.uids.length; i++) {
          const pos = idx.positionOf(r.uids[i]!);
          if (pos >= 0) idx.setFlags(pos, r.bits[i]!, idx.keywordIdList(r.kw[i] ?? []), r.modseq);
        }
        return;
      }
      case 'expunge': {
        const idx = this.byGuid.get(r.mb)?.index;
        if (idx) idx.expunge(r.uids, r.modseq);
        return;
      }
      case 'recent': {
        const idx = this.byGuid.get(r.mb)?.index;
        if (idx && r.firstRecentUid > idx.firstRecentUid) idx.firstRecentUid = r.firstRecentUid;
        return;
      }
    }
  }

  add(e: MailboxEntry): void {
    this.mailboxes.set(e.name, e);
    this.byGuid.set(e.guid, e);
  }

  /** After a delete or rename, \Noselect ancestors left without children go too. */
  private dropEmptyPlaceholders(name: string): void {
    let n = name;
    for (;;) {
      const cut = n.lastIndexOf(HIERARCHY_DELIMITER);
      if (cut < 0) return;
      n = n.slice(0, cut);
      const e = this.mailboxes.get(n);
      if (!e || !e.noSelect || this.hasChildren(n)) return;
      this.mailboxes.delete(n);
      this.byGuid.delete(e.guid);
    }
  }

  rootState(): RootState {
    return {
      lastUidValidity: this.lastUidValidity,
      subscriptions: [...this.subscriptions].sort(),
      pendingPurge: [...this.pendingPurge],
      mailboxes: [...this.mailboxes.values()].map((e) => ({ name: e.name, guid: e.guid, specialUse: e.specialUse, noSelect: e.noSelect })),
    };
  }

  /** Of these GUIDs, those no mailbox refers to: one pass comparing bytes, no strings per row. */
  unreferenced(guids: Iterable<string>): string[] {
    const left = new Map<number, { hex: string; bytes: Buffer }[]>();
    let pending = 0;
    for (const hex of new Set(guids)) {
      const bytes = Buffer.from(hex, 'hex');
      if (bytes.length !== GUID_BYTES) continue;
      const head = bytes.readUInt32LE(0);
      const list = left.get(head) ?? [];
      list.push({ hex, bytes });
      left.set(head, list);
      pending++;
    }
    const referenced = new Set<string>();
    for (const e of this.mailboxes.values()) {
      const idx = e.index;
      if (!idx || referenced.size === pending) continue;
      const g = idx.guids;
      const view = new DataView(g.buffer, g.byteOffset, g.byteLength);
      for (let i = 0; i < idx.count; i++) {
        const list = left.get(view.getUint32(i * GUID_BYTES, true));
        if (!list) continue;
        for (const c of list) {
          if (!referenced.has(c.hex) && Buffer.compare(c.bytes, g.subarray(i * GUID_BYTES, (i + 1) * GUID_BYTES)) === 0) referenced.add(c.hex);
        }
      }
    }
    const out: string[] = [];
    for (const list of left.values()) for (const c of list) if (!referenced.has(c.hex)) out.push(c.hex);
    return out;
  }

  /** Total bytes and messages over all mailboxes (copies count in each mailbox, like Dovecot). */
  usage(): { bytes: number; messages: number } {
    let bytes = 0;
    let messages = 0;
    for (const e of this.mailboxes.values()) {
      if (!e.index) continue;
      bytes += e.index.totalSize;
      messages += e.index.count;
    }
    return { bytes, messages };
  }
}
