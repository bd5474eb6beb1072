// Worker thread for password hashing (hash-threads.ts says why not the event loop or the libuv
// pool). SHA512-CRYPT runs the WASM kernel (sha512-crypt-wasm.ts, ~3 ms per hash) and falls back
// to unixcrypt (pure JS, ~23 ms) only if the kernel cannot load, saying which engine it runs in
// its first message; argon2id verification is libsodium's, synchronous here. Node 20 workers do
// not inherit `--import tsx`, so this plain-JS entry registers tsx before loading TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';
import { createRequire } from 'node:module';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

const require = createRequire(import.meta.url);

// This thread's nice (hash-threads.ts says why). Linux names a thread by its id, which
// /proc/thread-self gives; elsewhere the thread keeps the process's priority.
if (workerData?.nice > 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.nice);
  } catch {
    // no /proc (not Linux): nothing to lower
  }
}

register();
let engine = 'wasm';
let encrypt;
let verify;
try {
  const wasm = await import('./sha512-crypt-wasm.ts');
  wasm.sha512CryptWasm('warm-up', '$6$rounds=1000$warmup'); // instantiates and proves the kernel
  encrypt = (password, setting) => {
    const out = wasm.sha512CryptWasm(password, setting);
    if (out === null) throw new Error('not a $6$ setting');
    return out;
  };
  verify = wasm.sha512CryptVerifyWasm;
} catch (err) {
  engine = `unixcrypt (wasm kernel failed: ${String(err?.message ?? err)})`;
  ({ encrypt, verify } = await import('unixcrypt'));
}
parentPort.postMessage({ id: 0, ok: true, engine });

let sodium = null;
function argon2Verify(password, encoded) {
  sodium ??= require('sodium-native');
  // libsodium wants a NUL-terminated string inside a STRBYTES buffer.
  const str = Buffer.alloc(sodium.crypto_pwhash_STRBYTES);
  const bytes = Buffer.from(encoded, 'ascii');
  if (bytes.length >= str.length) return false;
  bytes.copy(str);
  try {
    return sodium.crypto_pwhash_str_verify(str, Buffer.from(password, 'utf8'));
  } catch {
    return false;
  }
}

parentPort.on('message', ({ id, op, password, salt }) => {
  try {
    const value =
      op === 'verify' ? verify(password, salt) : op === 'argon2-verify' ? argon2Verify(password, salt) : encrypt(password, salt);
    parentPort.postMessage({ id, ok: true, value });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String(err?.message ?? err) });
  }
});
