// Worker thread for SHA512-CRYPT: ~5000 SHA-512 blocks per hash is too long for the event loop
// of a server with thousands of sessions. Runs the WASM kernel (sha512-crypt-wasm.ts, ~3 ms per
// hash); falls back to unixcrypt (pure JS, ~23 ms) only if the kernel cannot load, and says
// which engine it runs in its first message. Node 20 workers do not inherit `--import tsx`,
// so this plain-JS entry registers tsx before loading the TypeScript wrapper.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

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

parentPort.on('message', ({ id, op, password, salt }) => {
  try {
    const value = op === 'verify' ? verify(password, salt) : encrypt(password, salt);
    parentPort.postMessage({ id, ok: true, value });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String(err?.message ?? err) });
  }
});
