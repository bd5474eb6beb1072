/**
 * The inline-vs-offload policy for lz4: inputs below offloadMinBytes are (de)compressed on the
 * calling thread, because handing them to a worker costs more than the work (see
 * docs/workers-and-wasm.md for the measured crossover); larger ones go to the pool.
 * Same shape as core/storage/message-object.ts's Codec, so storage can take it as is.
 */
import { lz4CompressBytes, lz4DecompressBytes } from './lz4.ts';
import { unwrap } from './protocol.ts';

export interface Codec {
  /** Compressed bytes (lz4 block, size-prefixed). The caller's input stays intact and usable. */
  compress(data: Uint8Array): Promise<Buffer>;
  /** Original bytes; rejects with WorkerTaskError ERR_LZ4_CORRUPT unless they are exactly `size` long. */
  decompress(data: Uint8Array, size: number): Promise<Buffer>;
}

interface Offloader {
  lz4Compress(data: Uint8Array): Promise<Buffer>;
  lz4Decompress(data: Uint8Array, size: number): Promise<Buffer>;
}

export function createOffloadCodec(pool: Offloader, offloadMinBytes: number): Codec {
  return {
    async compress(data) {
      if (data.length < offloadMinBytes) return unwrap(lz4CompressBytes(data));
      // Move a private copy: the caller still needs its bytes (the store keeps the original when
      // compression does not pay), and moving them would detach the caller's buffer.
      return pool.lz4Compress(new Uint8Array(data));
    },
    async decompress(data, size) {
      // Decoding cost follows the output size, so that is what decides.
      if (size < offloadMinBytes) return unwrap(lz4DecompressBytes(data, size));
      return pool.lz4Decompress(data, size);
    },
  };
}

/** The inline codec alone (no pool), for tools and tests. */
export const inlineCodec: Codec = {
  async compress(data) {
    return unwrap(lz4CompressBytes(data));
  },
  async decompress(data, size) {
    return unwrap(lz4DecompressBytes(data, size));
  },
};
