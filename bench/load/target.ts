/** A server under test: where to connect, whose process to watch, and how to stop it. */
import { hashPassword, type HashScheme } from '../../core/auth/schemes.ts';
import type { UserCredential } from './stats.ts';

export interface Target {
  /** `columba`, `dovecot-hs` (high-security), `dovecot-hp` (high-performance), `external`. */
  label: string;
  host: string;
  ports: { imap: number; pop3: number | null; lmtp: number | null };
  /** Root process of the server, for CPU and RSS; null when it is not ours to watch. */
  pid: number | null;
  users: UserCredential[];
  /** Recent server output (logs), for error reports. */
  output?: () => string;
  stop(): Promise<void>;
}

/** The bench users: bench001..benchNNN, each with its own password. */
export function benchUsers(count: number): UserCredential[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `bench${String(i + 1).padStart(3, '0')}`;
    return { name, password: `pw-${name}-secret` };
  });
}

/**
 * A Dovecot-style passwd-file of the users with SHA512-CRYPT hashes: Columba reads it as its
 * user database and Dovecot as its passdb, so both check the very same hashes.
 */
export async function passwdFileText(users: UserCredential[], scheme: HashScheme = 'SHA512-CRYPT'): Promise<string> {
  const lines = await Promise.all(users.map(async (u) => `${u.name}:${await hashPassword(u.password, scheme)}`));
  return lines.join('\n') + '\n';
}
