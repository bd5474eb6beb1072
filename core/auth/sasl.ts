/**
 * SASL PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login) decoding, shared by IMAP
 * AUTHENTICATE and POP3 AUTH. Pure functions over client input: they never throw, they return
 * `{ ok: false, reason }`. The protocol maps a failure to its own reply (IMAP BAD/NO, POP3 -ERR).
 *
 * Wire rules common to both:
 * - A client response is one base64 line; `*` cancels the exchange (IMAP, POP3 alike).
 * - An initial response (SASL-IR, RFC 4959; POP3 AUTH's second argument) of `=` means empty.
 */

export type SaslFailureReason =
  | 'bad-base64'
  | 'bad-utf8'
  | 'bad-format'
  | 'empty-user'
  | 'empty-password'
  | 'authzid-mismatch'
  | 'cancelled';

export type SaslDecode<T> = ({ ok: true } & T) | { ok: false; reason: SaslFailureReason };

export interface SaslCredentials {
  /** Authentication identity (the login name). */
  user: string;
  password: string;
}

export const SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export function isSaslMechanism(name: string): name is SaslMechanism {
  return (SASL_MECHANISMS as readonly string[]).includes(name.toUpperCase());
}

/** The client gave up (`*` on a line by itself). */
export function isSaslCancel(line: string): boolean {
  return line.trim() === '*';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict base64: alphabet, padding and length checked (Node's decoder silently skips junk).
 * `=` alone is the empty response. Returns null when invalid.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  const s = text.trim();
  if (s === '=') return Buffer.alloc(0);
  if (!BASE64.test(s)) return null;
  return Buffer.from(s, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function toUtf8(b: Uint8Array): string | null {
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

/**
 * Decode the PLAIN message `authzid NUL authcid NUL passwd` from its raw bytes.
 * An authzid other than empty or the authcid itself is refused: no proxy authorization here.
 */
export function parseSaslPlain(raw: Uint8Array): SaslDecode<SaslCredentials & { authzid: string }> {
  const first = raw.indexOf(0);
  const second = first < 0 ? -1 : raw.indexOf(0, first + 1);
  if (first < 0 || second < 0 || raw.indexOf(0, second + 1) >= 0) return { ok: false, reason: 'bad-format' };
  const authzid = toUtf8(raw.subarray(0, first));
  const user = toUtf8(raw.subarray(first + 1, second));
  const password = toUtf8(raw.subarray(second + 1));
  if (authzid === null || user === null || password === null) return { ok: false, reason: 'bad-utf8' };
  if (user.length === 0) return { ok: false, reason: 'empty-user' };
  if (password.length === 0) return { ok: false, reason: 'empty-password' };
  if (authzid !== '' && authzid !== user) return { ok: false, reason: 'authzid-mismatch' };
  return { ok: true, authzid, user, password };
}

/** Decode a base64 PLAIN response line (or SASL-IR initial response). */
export function decodeSaslPlain(line: string): SaslDecode<SaslCredentials & { authzid: string }> {
  if (isSaslCancel(line)) return { ok: false, reason: 'cancelled' };
  const raw = decodeBase64Strict(line);
  if (!raw) return { ok: false, reason: 'bad-base64' };
  return parseSaslPlain(raw);
}

/** Base64 of the LOGIN prompts, as every client expects them. */
export const LOGIN_USERNAME_CHALLENGE = Buffer.from('Username:').toString('base64');
export const LOGIN_PASSWORD_CHALLENGE = Buffer.from('Password:').toString('base64');

export type SaslStep =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'done'; credentials: SaslCredentials }
  | { kind: 'error'; reason: SaslFailureReason };

/**
 * One server-side SASL exchange. `start(initial)` takes the optional initial response; each
 * client line goes to `next(line)`. Challenges are returned already base64-encoded
 * (PLAIN's is empty: the protocol writes `+ ` / `+ ` + nothing).
 */
export interface SaslExchange {
  readonly mechanism: SaslMechanism;
  start(initialResponse?: string | null): SaslStep;
  next(line: string): SaslStep;
}

function plainExchange(): SaslExchange {
  const finish = (line: string): SaslStep => {
    const r = decodeSaslPlain(line);
    return r.ok ? { kind: 'done', credentials: { user: r.user, password: r.password } } : { kind: 'error', reason: r.reason };
  };
  return {
    mechanism: 'PLAIN',
    start: (initial) => (initial == null ? { kind: 'challenge', challenge: '' } : finish(initial)),
    next: finish,
  };
}

function loginExchange(): SaslExchange {
  let user: string | null = null;
  const step = (line: string): SaslStep => {
    if (isSaslCancel(line)) return { kind: 'error', reason: 'cancelled' };
    const raw = decodeBase64Strict(line);
    if (!raw) return { kind: 'error', reason: 'bad-base64' };
    const text = toUtf8(raw);
    if (text === null) return { kind: 'error', reason: 'bad-utf8' };
    if (text.includes('\0')) return { kind: 'error', reason: 'bad-format' };
    if (user === null) {
      if (text.length === 0) return { kind: 'error', reason: 'empty-user' };
      user = text;
      return { kind: 'challenge', challenge: LOGIN_PASSWORD_CHALLENGE };
    }
    if (text.length === 0) return { kind: 'error', reason: 'empty-password' };
    return { kind: 'done', credentials: { user, password: text } };
  };
  return {
    mechanism: 'LOGIN',
    // Some clients send the user name as an initial response (`AUTH LOGIN dXNlcg==`).
    start: (initial) => (initial == null ? { kind: 'challenge', challenge: LOGIN_USERNAME_CHALLENGE } : step(initial)),
    next: step,
  };
}

/** A fresh exchange for `mechanism` (case-insensitive), or null when unsupported. */
export function createSaslExchange(mechanism: string): SaslExchange | null {
  switch (mechanism.toUpperCase()) {
    case 'PLAIN':
      return plainExchange();
    case 'LOGIN':
      return loginExchange();
    default:
      return null;
  }
}
