#!/usr/bin/env node
// The columba command. Plain JS so it runs without a build step: register tsx, then hand over
// to the TypeScript CLI (core/cli/main.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../core/cli/main.ts');
await main();
