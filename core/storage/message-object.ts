/**
 * One object per message: a versioned header that is enough to rebuild a mailbox from objects
 * alone, then the payload (lz4 block-compressed when large enough to gain).
 *
 * Layout: "CLMO" | version u8 | header length u32 BE | header JSON (UTF-8) | payload
 * The same recovery fields are also returned as object metadata (x-amz-meta-* on S3), so a
 * rebuild can use HEAD instead of GET where the store supports it.
 */
import { compressSync, uncompressSync } from 'lz4-napi';
import { StorageError } from './errors.ts';

export interface Codec {
  compress(b: Buffer): Promise<Buffer>;
  decompress(b: Buffer, size: number): Promise<Buffer>;
}

/** Inline lz4 block codec (the worker pool version plugs in through the same interface). */
export const inlineLz4Codec: Codec = {
  async compress(b) {
    return compressSync(b);
  },
  async decompress(b, size) {
    const out = uncompressSync(b);
    if (out.length !== size) throw new StorageError('TEMPORARY', 'lz4 payload has the wrong size');
    return out;
  },
};

export interface MessageHeader {
  guid: string;
  /** Mailbox GUID and name it was first saved to (the name helps when the GUID is unknown). */
  mailboxGuid: string;
  mailboxName: string;
  internalDate: number;
  saveDate: number;
  flags: string[];
  /** Uncompressed size, CRLF line ends: RFC822.SIZE. */
  size: number;
  pop3Uidl: string;
}

interface StoredHeader extends MessageHeader {
  v: 1;
  /** 'lz4' when the payload is lz4 block-compressed. */
  enc: 'none' | 'lz4';
}

const MAGIC = Buffer.from('CLMO', 'latin1');
const VERSION = 1;
const PREFIX_LEN = MAGIC.length + 1 + 4;
const MAX_HEADER = 1024 * 1024;

export async function encodeMessageObject(
  header: MessageHeader,
  raw: Buffer,
  opts: { compressMinBytes: number; codec?: Codec },
): Promise<{ data: Buffer; meta: Record<string, string> }> {
  const codec = opts.codec ?? inlineLz4Codec;
  let payload = raw;
  let enc: StoredHeader['enc'] = 'none';
  if (raw.length >= opts.compressMinBytes && raw.length > 0) {
    const c = await codec.compress(raw);
    // Keep the original when compression does not pay (already compressed attachments).
    if (c.length < raw.length) {
      payload = c;
      enc = 'lz4';
    }
  }
  const stored: StoredHeader = { v: 1, enc, ...header, size: raw.length };
  const json = Buffer.from(JSON.stringify(stored), 'utf8');
  const prefix = Buffer.alloc(PREFIX_LEN);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt8(VERSION, MAGIC.length);
  prefix.writeUInt32BE(json.length, MAGIC.length + 1);
  return { data: Buffer.concat([prefix, json, payload]), meta: headerToMeta(stored) };
}

/** Header only (cheap: no decompression). Throws TEMPORARY on a damaged object. */
export function decodeMessageHeader(data: Buffer): MessageHeader & { enc: 'none' | 'lz4'; payloadOffset: number } {
  if (data.length < PREFIX_LEN || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new StorageError('TEMPORARY', 'not a message object');
  }
  const version = data.readUInt8(MAGIC.length);
  if (version !== VERSION) throw new StorageError('TEMPORARY', `unknown message object version ${version}`);
  const len = data.readUInt32BE(MAGIC.length + 1);
  if (len > MAX_HEADER || PREFIX_LEN + len > data.length) throw new StorageError('TEMPORARY', 'damaged message object');
  let h: StoredHeader;
  try {
    h = JSON.parse(data.toString('utf8', PREFIX_LEN, PREFIX_LEN + len)) as StoredHeader;
  } catch (err) {
    throw new StorageError('TEMPORARY', 'damaged message object header', { cause: err });
  }
  return {
    guid: String(h.guid),
    mailboxGuid: String(h.mailboxGuid ?? ''),
    mailboxName: String(h.mailboxName ?? ''),
    internalDate: Number(h.internalDate),
    saveDate: Number(h.saveDate),
    flags: Array.isArray(h.flags) ? h.flags.map(String) : [],
    size: Number(h.size),
    pop3Uidl: String(h.pop3Uidl ?? h.guid),
    enc: h.enc === 'lz4' ? 'lz4' : 'none',
    payloadOffset: PREFIX_LEN + len,
  };
}

export async function decodeMessageObject(data: Buffer, codec: Codec = inlineLz4Codec): Promise<{ header: MessageHeader; raw: Buffer }> {
  const h = decodeMessageHeader(data);
  const payload = data.subarray(h.payloadOffset);
  const raw = h.enc === 'lz4' ? await codec.decompress(payload, h.size) : payload;
  if (raw.length !== h.size) throw new StorageError('TEMPORARY', 'message payload has the wrong size');
  const { enc: _e, payloadOffset: _p, ...header } = h;
  return { header, raw };
}

function headerToMeta(h: StoredHeader): Record<string, string> {
  return {
    guid: h.guid,
    'mailbox-guid': h.mailboxGuid,
    // Names may be non-ASCII; S3 metadata must be ASCII.
    'mailbox-name': encodeURIComponent(h.mailboxName),
    'internal-date': String(h.internalDate),
    'save-date': String(h.saveDate),
    flags: encodeURIComponent(h.flags.join(' ')),
    size: String(h.size),
    'pop3-uidl': encodeURIComponent(h.pop3Uidl),
  };
}

/** Recovery fields from object metadata; null when the metadata is incomplete. */
export function metaToHeader(meta: Record<string, string>): MessageHeader | null {
  if (!meta.guid || meta.size === undefined) return null;
  try {
    const flags = decodeURIComponent(meta.flags ?? '');
    return {
      guid: meta.guid,
      mailboxGuid: meta['mailbox-guid'] ?? '',
      mailboxName: decodeURIComponent(meta['mailbox-name'] ?? ''),
      internalDate: Number(meta['internal-date']),
      saveDate: Number(meta['save-date']),
      flags: flags ? flags.split(' ') : [],
      size: Number(meta.size),
      pop3Uidl: decodeURIComponent(meta['pop3-uidl'] ?? meta.guid),
    };
  } catch {
    return null;
  }
}

/**
 * Bare LF (and a lone CR) become CRLF, so RFC822.SIZE equals the bytes served. Runs on every
 * APPEND and delivery: the check walks line ends with Buffer.indexOf (memchr) rather than a JS
 * byte loop, and a message already in CRLF form (the usual case) is returned as is.
 */
export function normalizeCrlf(raw: Buffer): Buffer {
  if (isCrlfClean(raw)) return raw;
  const out = Buffer.allocUnsafe(raw.length * 2);
  let o = 0;
  let from = 0;
  let cr = raw.indexOf(0x0d);
  let lf = raw.indexOf(0x0a);
  while (cr >= 0 || lf >= 0) {
    const at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
    o += raw.copy(out, o, from, at);
    out[o++] = 0x0d;
    out[o++] = 0x0a;
    // CRLF as a pair, or a lone CR / bare LF: either way one line end.
    from = at === cr && raw[at + 1] === 0x0a ? at + 2 : at + 1;
    if (cr >= 0 && cr < from) cr = raw.indexOf(0x0d, from);
    if (lf >= 0 && lf < from) lf = raw.indexOf(0x0a, from);
  }
  o += raw.copy(out, o, from);
  return Buffer.from(out.subarray(0, o));
}

/** True when every LF follows a CR and every CR precedes an LF. */
export function isCrlfClean(raw: Buffer): boolean {
  for (let i = raw.indexOf(0x0a); i >= 0; i = raw.indexOf(0x0a, i + 1)) {
    if (i === 0 || raw[i - 1] !== 0x0d) return false;
  }
  for (let i = raw.indexOf(0x0d); i >= 0; i = raw.indexOf(0x0d, i + 1)) {
    if (raw[i + 1] !== 0x0a) return false;
  }
  return true;
}
