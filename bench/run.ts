/**
 * `npm run bench [filter]`: the micro benchmarks (bench/kernels, one file per hot function).
 * Protocol load generators will get their own entry beside this one.
 */
await import('./kernels/run.ts');
