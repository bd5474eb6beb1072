#!/usr/bin/env node
// The columba command. Plain JS so it runs without a build step: register tsx, then hand over
// to the TypeScript CLI (core/cli/main.ts).

// argon2id verification and fs calls share libuv's thread pool (4 threads by default); a burst
// of logins must not starve file I/O. Set before anything touches the pool (imports below are
// dynamic for that reason).
process.env.UV_THREADPOOL_SIZE ??= '16';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../core/cli/main.ts');
await main();
