// Worker thread for SHA512-CRYPT (unixcrypt is pure JS: ~30 ms per hash, too long for the event
// loop of a server with thousands of sessions). Plain JS so it loads without tsx.
import { parentPort } from 'node:worker_threads';
import { encrypt, verify } from 'unixcrypt';

parentPort.on('message', ({ id, op, password, salt }) => {
  try {
    const value = op === 'verify' ? verify(password, salt) : encrypt(password, salt);
    parentPort.postMessage({ id, ok: true, value });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String(err?.message ?? err) });
  }
});
