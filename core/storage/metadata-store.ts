/**
 * METADATA (RFC 5464) entries of one user: server entries (scope '') and mailbox entries
 * (scope = the mailbox GUID, so RENAME keeps them and a deleted mailbox's entries are never
 * seen again: GUIDs are not reused). Each SETMETADATA is one immutable object
 * `hh/USER/meta/<15-digit ms>.<random>` holding the changes as JSON; loading replays them in
 * key order, so the newest write wins and nothing is ever overwritten. Loaded on first use, from
 * the login listing of the user's prefix when the caller passes it (no LIST of its own).
 */
import { randomBytes } from 'node:crypto';
import { StorageError } from './errors.ts';
import { userPrefix } from './keys.ts';
import type { ObjectStore } from './object-store.ts';

export interface MetadataChange {
  /** Entry name, lower case, e.g. `/private/comment`. */
  entry: string;
  /** null removes the entry. */
  value: Buffer | null;
}

interface MetaObject {
  scope: string;
  /** entry -> base64 value, or null for a removal. */
  set: Record<string, string | null>;
}

export function metadataPrefix(user: string): string {
  return `${userPrefix(user)}meta/`;
}

export class MetadataStore {
  private scopes: Map<string, Map<string, Buffer>> | null = null;
  private loading: Promise<Map<string, Map<string, Buffer>>> | null = null;
  private lastKey = '';
  /** Writes one after the other: keys must sort in the order the changes were made. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly objects: ObjectStore,
    private readonly user: string,
    private readonly limits: { valueSize: number; entries: number },
    /** The keys under metadataPrefix as the login listing saw them (heads-listing.ts): no LIST then. */
    private listed?: readonly string[],
  ) {}

  /** A copy of the entries of a scope. */
  async get(scope: string): Promise<Map<string, Buffer>> {
    const all = await this.load();
    return new Map(all.get(scope) ?? []);
  }

  /**
   * Apply the changes atomically: all or none. Throws StorageError TOO_BIG (a value over the
   * limit; `limit` in the message) or LIMIT (too many entries in the scope).
   */
  set(scope: string, changes: MetadataChange[]): Promise<void> {
    const run = this.chain.then(() => this.write(scope, changes));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(scope: string, changes: MetadataChange[]): Promise<void> {
    for (const c of changes) {
      if (c.value && c.value.length > this.limits.valueSize) throw new StorageError('TOO_BIG', 'metadata value too big');
    }
    const all = await this.load();
    const next = new Map(all.get(scope) ?? []);
    for (const c of changes) {
      if (c.value === null) next.delete(c.entry);
      else next.set(c.entry, c.value);
    }
    const before = all.get(scope)?.size ?? 0;
    // Removing entries or replacing values is always allowed, even over a lowered limit.
    if (next.size > this.limits.entries && next.size > before) throw new StorageError('LIMIT', 'too many metadata entries');
    // No prototype: an ACL identifier may be "__proto__".
    const body: MetaObject = { scope, set: Object.create(null) as MetaObject['set'] };
    for (const c of changes) body.set[c.entry] = c.value === null ? null : c.value.toString('base64');
    const key = this.nextKey();
    await this.objects.put(key, Buffer.from(JSON.stringify(body), 'utf8'), { kind: 'metadata' });
    all.set(scope, next);
  }

  /** Strictly increasing keys, also within one millisecond or after the clock went back. */
  private nextKey(): string {
    let key = `${metadataPrefix(this.user)}${String(Date.now()).padStart(15, '0')}.${randomBytes(6).toString('hex')}`;
    if (key <= this.lastKey) key = `${this.lastKey.slice(0, -12)}${randomBytes(6).toString('hex')}`;
    if (key <= this.lastKey) key = `${this.lastKey}0`;
    this.lastKey = key;
    return key;
  }

  private load(): Promise<Map<string, Map<string, Buffer>>> {
    if (this.scopes) return Promise.resolve(this.scopes);
    this.loading ??= this.replay().then((m) => (this.scopes = m));
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  private async replay(): Promise<Map<string, Map<string, Buffer>>> {
    const scopes = new Map<string, Map<string, Buffer>>();
    const keys: string[] = this.listed ? [...this.listed] : [];
    // Used once: a failed load lists again.
    if (!this.listed) for await (const k of this.objects.list(metadataPrefix(this.user))) keys.push(k);
    this.listed = undefined;
    keys.sort();
    for (const key of keys) {
      let obj: MetaObject;
      try {
        obj = JSON.parse((await this.objects.get(key)).data.toString('utf8')) as MetaObject;
      } catch (err) {
        // A torn or foreign object must not hide every other entry.
        if (err instanceof SyntaxError) continue;
        throw err;
      }
      if (typeof obj?.scope !== 'string' || typeof obj.set !== 'object' || obj.set === null) continue;
      const m = scopes.get(obj.scope) ?? new Map<string, Buffer>();
      for (const [entry, v] of Object.entries(obj.set)) {
        if (v === null) m.delete(entry);
        else if (typeof v === 'string') m.set(entry, Buffer.from(v, 'base64'));
      }
      scopes.set(obj.scope, m);
    }
    if (keys.length > 0) this.lastKey = keys[keys.length - 1]!;
    return scopes;
  }
}
