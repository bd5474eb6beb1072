/**
 * Object metadata <-> x-amz-meta-* headers. HTTP headers carry ASCII only and S3 lowercases
 * names, so: names must be lowercase tokens (INVALID otherwise, instead of silently changing),
 * and a value that is not plain printable ASCII (or could be mistaken for an encoded one, or
 * would lose surrounding spaces) is stored as an RFC 2047 word `=?UTF-8?B?...?=`, which is also
 * what S3 itself uses for non-ASCII metadata.
 */
import { StorageError } from '../errors.ts';

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const ENCODED = /^=\?utf-8\?b\?([A-Za-z0-9+/=]*)\?=$/i;

export function encodeMeta(meta: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(meta)) {
    if (!NAME.test(name)) throw new StorageError('INVALID', `metadata name must be a lowercase token: ${name}`);
    const plain = PLAIN.test(value) && !ENCODED.test(value);
    out[name] = plain ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
  }
  return out;
}

export function decodeMeta(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const m = ENCODED.exec(value);
    out[name.toLowerCase()] = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value;
  }
  return out;
}
