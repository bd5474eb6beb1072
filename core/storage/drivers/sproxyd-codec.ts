/**
 * What the sproxyd driver puts on the wire besides the bytes: the by-path URL of a key and the
 * X-Scal-Usermd header.
 *
 * Paths. Our keys contain '/', and may contain '.', '..', empty segments, spaces, '%', '+' and
 * non-ASCII. sproxyd in by-path mode hashes the (decoded) path into a RING key, and HTTP servers
 * and proxies in front of it may collapse '//' and resolve '.'/'..' segments. So, in two layers:
 * 1. on the decoded path: a segment that is empty, all dots, or starts with '~' gets one '~'
 *    prepended ('..' -> '~..', '' -> '~', '~x' -> '~~x'). Injective (strip one leading '~' to
 *    undo) and leaves no segment a server would normalise away.
 * 2. for transport: UTF-8, and every byte outside [A-Za-z0-9-._~] and '/' percent-escaped
 *    (never '/' itself: Apache in front of sproxyd refuses %2F unless AllowEncodedSlashes).
 *
 * Usermd. sproxyd stores the header value opaquely (clients base64 it: Scality's own Swift
 * backend base64s a pickle); we send base64(JSON {v: 1, m: meta, s: size, n: nonce}). `s` lets
 * `get` verify the body length independently of Content-Length; `n` is a random token per put,
 * so a retried PUT that meets 412 can tell its own earlier attempt from another writer's.
 */
import { StorageError } from '../errors.ts';

/** Metadata names portable to every driver (S3 lowercases names; see s3-meta.ts). */
const NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** Apache's default limit on one request header line is 8190 bytes. */
export const MAX_USERMD_BYTES = 8000;

export function escapeSegment(segment: string): string {
  return segment === '' || /^\.+$/.test(segment) || segment.startsWith('~') ? `~${segment}` : segment;
}

export function unescapeSegment(segment: string): string {
  return segment.startsWith('~') ? segment.slice(1) : segment;
}

function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~/]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The request path of `key` below the by-path driver prefix (e.g. '/proxy/bparc'). */
export function keyPath(basePath: string, key: string): string {
  const base = basePath.replace(/\/+$/, '');
  return `${base}/${percentEncode(key.split('/').map(escapeSegment).join('/'))}`;
}

/** Inverse of keyPath's layers on an already decoded path below the base (the stand-in uses it). */
export function keyFromDecodedPath(path: string): string {
  return path.split('/').map(unescapeSegment).join('/');
}

export interface Usermd {
  meta: Record<string, string>;
  size: number;
  nonce: string;
}

export function encodeUsermd(u: Usermd): string {
  for (const name of Object.keys(u.meta)) {
    if (!NAME.test(name)) throw new StorageError('INVALID', `metadata name must be a lowercase token: ${name}`);
  }
  const value = Buffer.from(JSON.stringify({ v: 1, m: u.meta, s: u.size, n: u.nonce }), 'utf8').toString('base64');
  if (value.length > MAX_USERMD_BYTES) throw new StorageError('INVALID', `object metadata too large (${value.length} bytes encoded)`);
  return value;
}

/** Never throws: an object written by someone else (foreign usermd) reads as empty metadata. */
export function decodeUsermd(header: string | string[] | undefined): Usermd | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { v?: unknown; m?: unknown; s?: unknown; n?: unknown };
    if (parsed.v !== 1 || typeof parsed.m !== 'object' || parsed.m === null) return null;
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed.m as Record<string, unknown>)) if (typeof v === 'string') meta[k] = v;
    return { meta, size: typeof parsed.s === 'number' ? parsed.s : -1, nonce: typeof parsed.n === 'string' ? parsed.n : '' };
  } catch {
    return null;
  }
}
