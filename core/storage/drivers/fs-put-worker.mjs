// Worker thread of fs-put-threads.ts (which says why): one object put per message, its syscalls
// synchronous here, in the order fs.ts's pool path makes them. Plain JS: no TypeScript loader.
import fs from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

const { O_CREAT, O_EXCL, O_WRONLY, O_RDONLY, O_DIRECTORY } = fs.constants;

function fsyncDir(dir) {
  const fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function linkInto(tmp, file, dir) {
  try {
    fs.linkSync(tmp, file);
    return;
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const first = fs.mkdirSync(dir, { recursive: true });
  // New folders must survive a crash too: sync the parent of each one made.
  if (first) for (let d = dir; d.length >= first.length; d = dirname(d)) fsyncDir(dirname(d));
  fs.linkSync(tmp, file); // EEXIST: the caller reports the object as existing
}

function put({ tmp, file, dir, bytes }) {
  try {
    const fd = fs.openSync(tmp, O_CREAT | O_EXCL | O_WRONLY, 0o600);
    try {
      for (let at = 0; at < bytes.byteLength; ) at += fs.writeSync(fd, bytes, at, bytes.byteLength - at);
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    linkInto(tmp, file, dir);
    fsyncDir(dir);
  } finally {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // gone already (never created); fs.ts's sweep removes any a crash leaves
    }
  }
}

parentPort.on('message', (m) => {
  try {
    put(m);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, code: err?.code ?? null, message: String(err?.message ?? err) });
  }
});
