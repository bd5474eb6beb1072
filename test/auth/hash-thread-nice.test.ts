/** auth.hashNice: the password hashing threads run at that OS priority (Linux), the event loop does not. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setHashThreadLimit, setHashThreadNice, sha512CryptHash, warmHashThreads } from '../../core/auth/hash-threads.ts';

/** nice of each of this process's threads (field 19 of /proc/self/task/TID/stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), Number(fields[16]));
  }
  return out;
}

test('a hashing thread started after setHashThreadNice(7) runs at nice 7; the main thread stays at 0', async () => {
  if (!existsSync('/proc/thread-self')) return; // not Linux: the setting does nothing
  setHashThreadLimit(1);
  setHashThreadNice(7);
  await warmHashThreads();
  assert.match(await sha512CryptHash('pw', '$6$rounds=1000$nicesalt'), /^\$6\$rounds=1000\$nicesalt\$/);
  const nices = threadNices();
  assert.is(nices.get(process.pid), 0);
  // The hashing thread, and the module loader thread tsx starts inside it (threads inherit nice).
  const lowered = [...nices.values()].filter((n) => n === 7).length;
  assert.ok(lowered >= 1 && lowered <= 2, JSON.stringify([...nices]));
});

test.run();
