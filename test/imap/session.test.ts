/** Session mechanics a transcript cannot show: flow control, idle timers, error mapping. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { UserMailStore } from '../../core/storage/mail-store.ts';
import { StorageError } from '../../core/storage/errors.ts';
import { createTestServer } from './harness.ts';

const flow = suite('flow control');

flow('the socket is paused while imapCommandsInFlight requests wait, and resumed after', async () => {
  const server = createTestServer({ config: { limits: { imapCommandsInFlight: 2 } } });
  const c = server.connect();
  await c.login();
  c.sendRaw(Array.from({ length: 6 }, (_, i) => `n${i} NOOP\r\n`).join(''));
  assert.ok(c.transport.paused, 'paused right after a burst larger than the limit');
  for (let i = 0; i < 6; i++) assert.is(await c.nextLine(), `n${i} OK NOOP completed.`);
  await new Promise((r) => setTimeout(r, 0));
  assert.not.ok(c.transport.paused, 'reading resumes once the queue drained');
  await server.close();
});

flow('bytes sent while paused are held back and processed later in order', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.expect(/^\* OK /);
  // LOGIN stops parsing until it completes; what follows waits in the transport.
  c.sendRaw('a LOGIN alice secret\r\n');
  assert.ok(c.transport.paused);
  c.sendRaw('b NOOP\r\n');
  assert.ok(c.transport.heldBack > 0);
  await c.expect(/^a OK \[CAPABILITY /);
  await c.expect('b OK NOOP completed.');
  await server.close();
});

flow('an over-long command line is BAD and the session goes on', async () => {
  const server = createTestServer();
  const c = server.connect();
  await c.expect(/^\* OK /);
  c.sendRaw(`a NOOP ${'x'.repeat(server.config.limits.imapLineLength + 10)}\r\n`);
  await c.expect('a BAD Command line too long');
  assert.equal(await c.command('b NOOP'), ['b OK NOOP completed.']);
  await server.close();
});

/** Small seeded generator: the same "random" input on every run. */
function prng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

flow('random garbage lines leave the session usable (before and after login)', async () => {
  const rnd = prng(42);
  const alphabet = 'abcXYZ019 ()[]<>"\\*%.:+-~\t\x01\x7f\u00e9';
  const garbage = (): string =>
    Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  const server = createTestServer();
  const c = server.connect();
  await c.expect(/^\* OK /);
  for (const phase of ['pre', 'post']) {
    const burst = Array.from({ length: 200 }, garbage).join('\r\n') + '\r\n';
    c.sendRaw(burst);
    const lines = await c.command(`zz${phase} NOOP`);
    assert.is(lines[lines.length - 1], `zz${phase} OK NOOP completed.`);
    for (const l of lines.slice(0, -1)) assert.match(l, /^\S+ (BAD|NO) /, `unexpected reply ${JSON.stringify(l)}`);
    if (phase === 'pre') await c.command('L LOGIN alice secret');
  }
  assert.not.ok(c.transport.closed);
  await server.close();
});

const timers = suite('idle timers');

timers('pre-auth idle timeout first, the IMAP one after login', async () => {
  const server = createTestServer({ config: { limits: { preAuthIdleSeconds: 7, imapIdleSeconds: 1800 } } });
  const c = server.connect();
  assert.is(c.transport.idleSeconds, 7);
  await c.login();
  assert.is(c.transport.idleSeconds, 1800);
  await server.close();
});

const errors = suite('errors');

function breakStore(server: ReturnType<typeof createTestServer>, patch: Partial<UserMailStore>): void {
  const real = server.ctx.store;
  server.ctx.store = {
    close: () => real.close(),
    async openUser(user) {
      const u = await real.openUser(user);
      return Object.assign(Object.create(Object.getPrototypeOf(u)), u, patch) as UserMailStore;
    },
  };
}

errors('an unexpected error is NO [SERVERBUG] and its message is not echoed', async () => {
  const server = createTestServer();
  breakStore(server, {
    listMailboxes: async () => {
      throw new Error('secret internal detail');
    },
  });
  const c = server.connect();
  await c.login();
  const lines = await c.command('a LIST "" *');
  assert.equal(lines, ['a NO [SERVERBUG] Internal error occurred. Refer to server log for more information.']);
  assert.equal(await c.command('b NOOP'), ['b OK NOOP completed.']);
  await server.close();
});

errors('storage error codes map to response codes', async () => {
  const cases: Array<[ConstructorParameters<typeof StorageError>[0], string]> = [
    ['OVER_QUOTA', 'OVERQUOTA'],
    ['NO_PERMISSION', 'NOPERM'],
    ['LIMIT', 'LIMIT'],
    ['IN_USE', 'INUSE'],
    ['UNAVAILABLE', 'UNAVAILABLE'],
    ['TEMPORARY', 'UNAVAILABLE'],
    ['INVALID', 'CANNOT'],
  ];
  for (const [code, expected] of cases) {
    const server = createTestServer();
    breakStore(server, {
      createMailbox: async () => {
        throw new StorageError(code, 'detail that stays inside');
      },
    });
    const c = server.connect();
    await c.login();
    const [line] = await c.command('a CREATE x');
    assert.match(line!, new RegExp(`^a NO \\[${expected}\\] `), code);
    assert.not.match(line!, /detail/);
    await server.close();
  }
});

errors('a user at the connection limit is refused', async () => {
  const server = createTestServer({ config: { limits: { connectionsPerUser: 1 } } });
  const c1 = server.connect();
  await c1.login();
  const c2 = server.connect();
  const [line] = await c2.login();
  assert.match(line!, /^L1 NO \[LIMIT\] /);
  // Logging out frees the slot.
  await c1.command('z LOGOUT');
  await new Promise((r) => setTimeout(r, 5));
  const c3 = server.connect();
  const [ok] = await c3.login();
  assert.match(ok!, /^L1 OK /);
  await server.close();
});

const fetching = suite('fetch');

fetching('message bytes are read once per message per command', async () => {
  const server = createTestServer();
  await server.deliver('alice', 'INBOX', 'Subject: a\n\nbody one\n');
  await server.deliver('alice', 'INBOX', 'Subject: b\n\nbody two\n');
  let reads = 0;
  const real = server.ctx.store;
  server.ctx.store = {
    close: () => real.close(),
    async openUser(user) {
      const u = await real.openUser(user);
      const openMailbox = u.openMailbox.bind(u);
      return Object.assign(Object.create(Object.getPrototypeOf(u)), u, {
        async openMailbox(name: string, o: { readOnly: boolean }) {
          const view = await openMailbox(name, o);
          const read = view.read.bind(view);
          view.read = (seq: number) => (reads++, read(seq));
          return view;
        },
      }) as UserMailStore;
    },
  };
  const c = server.connect();
  await c.login();
  await c.command('s SELECT INBOX');
  const lines = await c.command('f FETCH 1:2 (ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[TEXT] RFC822.SIZE BODY.PEEK[1])');
  assert.is(lines[lines.length - 1], 'f OK Fetch completed.');
  assert.is(reads, 2);
  reads = 0;
  await c.command('g FETCH 1:2 (FLAGS UID RFC822.SIZE INTERNALDATE)');
  assert.is(reads, 0, 'metadata items need no message bytes');
  await server.close();
});

errors('a dropped connection releases its user slot and store reference', async () => {
  const server = createTestServer({ config: { limits: { connectionsPerUser: 1 } } });
  const c1 = server.connect();
  await c1.login();
  await c1.command('s SELECT INBOX');
  c1.transport.closed = true;
  c1.session.onClose();
  await new Promise((r) => setTimeout(r, 5));
  const c2 = server.connect();
  const [line] = await c2.login();
  assert.match(line!, /^L1 OK /);
  await server.close();
});

flow.run();
fetching.run();
timers.run();
errors.run();
