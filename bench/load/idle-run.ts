/**
 * Kept for the old command line: `node --import tsx bench/load/idle-run.ts --connections 1000
 * [--dovecot]` now runs bench/idle/run.ts (steps, client processes, raised limits, result files).
 */
await import('../idle/run.ts');
