/**
 * The Node.js flags the server runs with: apps/server's `start` script (package.json, checked by
 * node-flags.test.ts), the root `pnpm start` (scripts/start.ts) and memory.bench.ts, which
 * measures them against a server without them in the same run. Anyone starting
 * `node dist/main.js` another way (a container, a process manager) passes them too (README,
 * Configuration → Scaling out).
 *
 * `--max-semi-space-size=16` (MiB): caps each semi-space of V8's young generation, where the
 * short-lived objects of a request live (https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-mib,
 * https://v8.dev/blog/orinoco-parallel-scavenger). Without it the limit follows V8's heap limit,
 * i.e. the machine's memory ("the default value depends on the memory limit"): 64 MB on this
 * 24-GB machine, where the young generation (`new_space`) reached 128 MB under the credentials
 * load, ~75 MB more RSS (memory.bench.ts: 239–259 MB without; with it 162–193 MB in 14 of 15 rounds, one 249 MB). The flag is also
 * accepted in NODE_OPTIONS.
 * The price is more, smaller scavenges: main-thread GC pauses went from 12–15 µs to 16–28 µs per
 * request (of ~300 µs CPU per request; 8 MiB: 28–43 µs), with requests/s within the noise of
 * alternating rounds (measured 2026-12-03 with a PerformanceObserver on `gc` entries).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
