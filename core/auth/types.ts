/** What the protocols need from authentication. */
export interface AuthResult {
  ok: boolean;
  /** Canonical user name on success. */
  user?: string;
}

export interface Authenticator {
  /** Verify a plaintext password. Applies the per-IP failure delay before resolving a failure. */
  verify(user: string, password: string, remoteIp: string): Promise<AuthResult>;
  /** Does this user exist (LMTP RCPT)? Returns the canonical name or null. */
  lookup(user: string): Promise<string | null>;
}
