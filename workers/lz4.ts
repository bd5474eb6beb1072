/**
 * lz4 block codec shared by the worker tasks and the inline path. lz4-napi's block format
 * prepends the uncompressed size (u32 little-endian); we check it against the size the caller
 * expects before decoding, so a corrupt or hostile object cannot make us allocate gigabytes.
 */
import { compressSync, uncompressSync } from 'lz4-napi';
import { fail, type TaskOutcome } from './protocol.ts';
import { asBuffer, isBytes } from './transfer.ts';

export function lz4CompressBytes(data: unknown): TaskOutcome<Buffer> {
  if (!isBytes(data)) return fail('ERR_BAD_INPUT', 'lz4Compress: data must be a Uint8Array');
  return { ok: true, value: compressSync(asBuffer(data)) };
}

export function lz4DecompressBytes(data: unknown, size: unknown): TaskOutcome<Buffer> {
  if (!isBytes(data)) return fail('ERR_BAD_INPUT', 'lz4Decompress: data must be a Uint8Array');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > 0xffffffff) {
    return fail('ERR_BAD_INPUT', 'lz4Decompress: size must be an integer in 0..2^32-1');
  }
  if (data.length < 4) return fail('ERR_LZ4_CORRUPT', 'lz4 block shorter than its size prefix');
  const declared = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  if (declared !== size) {
    return fail('ERR_LZ4_CORRUPT', `lz4 block declares ${declared} bytes, expected ${size}`);
  }
  let out: Buffer;
  try {
    out = uncompressSync(asBuffer(data));
  } catch (err) {
    return fail('ERR_LZ4_CORRUPT', `lz4 block does not decode: ${(err as Error).message}`);
  }
  if (out.length !== size) return fail('ERR_LZ4_CORRUPT', `lz4 block decoded to ${out.length} bytes, expected ${size}`);
  return { ok: true, value: out };
}
