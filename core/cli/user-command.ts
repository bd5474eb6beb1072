/** `columba user add|list|passwd|del`: edits the passwd-file the running server re-reads. */
import { passwdPath } from '../auth/authenticator.ts';
import { hashPassword, splitScheme, type HashScheme } from '../auth/schemes.ts';
import { PasswdFile, PasswdError, addPasswdUser, deletePasswdUser, setPasswdUserPassword } from '../auth/passwd-file.ts';
import type { Config } from '../config/schema.ts';
import { CliExit, readLineFromStdin } from './io.ts';

async function obtainPassword(given: string | undefined): Promise<string> {
  const password = given ?? (await readLineFromStdin('Password: '));
  if (password.length === 0) throw new CliExit(1, 'empty password refused');
  return password;
}

async function wrap(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof PasswdError) throw new CliExit(1, err.message);
    throw err;
  }
}

export async function userAdd(config: Config, name: string, opts: { password?: string; scheme?: HashScheme }): Promise<void> {
  const password = await obtainPassword(opts.password);
  const hashed = await hashPassword(password, opts.scheme ?? config.auth.defaultScheme);
  await wrap(() => addPasswdUser(passwdPath(config), name, hashed));
  process.stdout.write(`user ${name} added\n`);
}

export async function userPasswd(config: Config, name: string, opts: { password?: string; scheme?: HashScheme }): Promise<void> {
  const exists = await new PasswdFile(passwdPath(config)).lookup(name);
  if (!exists) throw new CliExit(1, `no such user: ${name}`);
  const password = await obtainPassword(opts.password);
  const hashed = await hashPassword(password, opts.scheme ?? config.auth.defaultScheme);
  await wrap(() => setPasswdUserPassword(passwdPath(config), name, hashed));
  process.stdout.write(`password of ${exists.name} changed\n`);
}

export async function userDel(config: Config, name: string): Promise<void> {
  await wrap(() => deletePasswdUser(passwdPath(config), name));
  process.stdout.write(`user ${name} deleted (their mail stays in storage)\n`);
}

/** One user per line: name, a tab, the password scheme. */
export async function userList(config: Config): Promise<void> {
  const entries = await new PasswdFile(passwdPath(config)).list();
  for (const e of entries) process.stdout.write(`${e.name}\t${splitScheme(e.password).scheme ?? 'UNKNOWN'}\n`);
}
