#!/usr/bin/env node
// The columba command. Plain JS so it runs without a build step: register tsx, then hand over
// to the TypeScript CLI (core/cli/main.ts).

// libuv's thread pool keeps its default 4 threads: it exists before this line runs, so setting
// UV_THREADPOOL_SIZE here would change nothing, and a larger pool (set in the environment)
// measured slower on the IMAP mix. Password hashing has threads of its own
// (core/auth/hash-threads.ts), so logins never hold up file I/O.

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../core/cli/main.ts');
await main();
