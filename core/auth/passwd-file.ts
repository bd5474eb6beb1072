/**
 * The built-in user database: a Dovecot-style passwd-file, one user per line,
 *   name:{SCHEME}hash[:uid:gid:gecos:home:shell:extra...]
 * Fields after the password are ignored; `#` comments and blank lines are skipped.
 * Names match case-insensitively (ISP mail logins are); the canonical name is the file's.
 *
 * The file is re-read when its mtime, size or inode changes, checked with one stat per lookup
 * (cheap next to a password hash), so users added while the server runs log in at once.
 * Writers (the CLI) replace the file atomically: write a temp file, fsync, rename.
 */
import { promises as fsp, statSync, readFileSync, type Stats } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface PasswdEntry {
  name: string;
  /** `{SCHEME}hash` as stored. */
  password: string;
  /** The raw fields after the password, kept so rewrites preserve them. */
  extra: string[];
}

/** A user name we accept: no separators, whitespace or control characters. */
export function validUserName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[:\s\x00-\x1f\x7f]/.test(name);
}

/** Parse file text; malformed lines are skipped and reported through `onBadLine`. */
export function parsePasswd(text: string, onBadLine?: (lineNo: number) => void): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0]!;
    if (fields.length < 2 || !validUserName(name)) {
      onBadLine?.(i + 1);
      continue;
    }
    out.push({ name, password: fields[1]!, extra: fields.slice(2) });
  }
  return out;
}

export function serializePasswd(entries: PasswdEntry[]): string {
  return entries.map((e) => [e.name, e.password, ...e.extra].join(':') + '\n').join('');
}

type Signature = string;
function signature(st: Stats): Signature {
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}

export class PasswdFile {
  private byKey = new Map<string, PasswdEntry>();
  private loadedSig: Signature | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    readonly path: string,
    private readonly onBadLine?: (lineNo: number) => void,
  ) {}

  /** Re-read the file if it changed since the last look. A missing file is an empty database. */
  async refresh(): Promise<void> {
    if (this.loading) return this.loading;
    this.loading = this.doRefresh().finally(() => (this.loading = null));
    return this.loading;
  }

  private async doRefresh(): Promise<void> {
    let st: Stats;
    try {
      st = await fsp.stat(this.path);
    } catch {
      this.byKey.clear();
      this.loadedSig = null;
      return;
    }
    const sig = signature(st);
    if (sig === this.loadedSig) return;
    const text = await fsp.readFile(this.path, 'utf8').catch(() => '');
    this.install(parsePasswd(text, this.onBadLine), sig);
  }

  private install(entries: PasswdEntry[], sig: Signature | null): void {
    const map = new Map<string, PasswdEntry>();
    for (const e of entries) if (!map.has(e.name.toLowerCase())) map.set(e.name.toLowerCase(), e);
    this.byKey = map;
    this.loadedSig = sig;
  }

  /** The user's entry (case-insensitive), reloading the file first if it changed. */
  async lookup(name: string): Promise<PasswdEntry | null> {
    await this.refresh();
    return this.byKey.get(name.toLowerCase()) ?? null;
  }

  async list(): Promise<PasswdEntry[]> {
    await this.refresh();
    return [...this.byKey.values()];
  }
}

// ---- writes (CLI); synchronous reads so a read-modify-write sees the latest file ----

function readEntries(path: string): PasswdEntry[] {
  try {
    statSync(path);
  } catch {
    return [];
  }
  return parsePasswd(readFileSync(path, 'utf8'));
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await fsp.mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, path);
}

export class PasswdError extends Error {
  constructor(
    readonly code: 'USER_EXISTS' | 'USER_NOT_FOUND' | 'BAD_USER_NAME',
    message: string,
  ) {
    super(message);
    this.name = 'PasswdError';
  }
}

/** Add a user; fails with USER_EXISTS (case-insensitive) or BAD_USER_NAME. */
export async function addPasswdUser(path: string, name: string, hashed: string): Promise<void> {
  if (!validUserName(name)) throw new PasswdError('BAD_USER_NAME', `invalid user name ${JSON.stringify(name)}`);
  const entries = readEntries(path);
  if (entries.some((e) => e.name.toLowerCase() === name.toLowerCase())) {
    throw new PasswdError('USER_EXISTS', `user ${name} already exists`);
  }
  entries.push({ name, password: hashed, extra: [] });
  await writeAtomically(path, serializePasswd(entries));
}

/** Replace a user's password; fails with USER_NOT_FOUND. */
export async function setPasswdUserPassword(path: string, name: string, hashed: string): Promise<void> {
  const entries = readEntries(path);
  const entry = entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!entry) throw new PasswdError('USER_NOT_FOUND', `no such user: ${name}`);
  entry.password = hashed;
  await writeAtomically(path, serializePasswd(entries));
}

/** Remove a user; fails with USER_NOT_FOUND. Their mail stays in storage. */
export async function deletePasswdUser(path: string, name: string): Promise<void> {
  const entries = readEntries(path);
  const kept = entries.filter((e) => e.name.toLowerCase() !== name.toLowerCase());
  if (kept.length === entries.length) throw new PasswdError('USER_NOT_FOUND', `no such user: ${name}`);
  await writeAtomically(path, serializePasswd(kept));
}
