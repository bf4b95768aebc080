/**
 * The Node.js flags the server runs with: apps/server's `start` script (package.json, checked by
 * node-flags.test.ts), the root `pnpm start` (scripts/start.ts) and the benchmarks
 * (memory.bench.ts measures them against a server without them in the same run). Anyone starting
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
 *
 * `--max-old-space-size=128` (MiB): caps V8's old generation. Without it V8 lets the old
 * generation grow with the allocation rate before a full collection (its limit here is ~4 GB):
 * under the connect-flow load RSS climbed to ~380 MB in 30 s while the heap after each full
 * collection held 57–61 MB (`--trace-gc`), and the credentials load sometimes reached 249–299 MB
 * with the semi-space cap alone (memory.bench.ts). With both caps: 189–201 MB under the flows at
 * ×0.95 flows/s; 165–178 MB after the credentials load, peak 179 MB, requests/s ×0.91–1.00 of
 * the server without either flag in alternating rounds (2026-12-03). 128 is about twice the largest live heap
 * measured; a process whose live heap outgrows it ends with "JavaScript heap out of memory"
 * (its requests fail, nothing stored is lost, the process manager restarts it) — an instance
 * meant for more concurrent work than measured here gets a larger value (README, Scaling out)
 * (https://nodejs.org/api/cli.html#--max-old-space-sizesize-in-mib).
 */
export const SERVER_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=16',
  '--max-old-space-size=128',
];

/**
 * The environment the server process is started with, beside the flags (the same places pass
 * it). `MALLOC_ARENA_MAX=2`: glibc's malloc gives each thread that allocates at once an arena of
 * its own, up to 8 per core, and memory freed in one arena is not reused by another
 * (https://www.gnu.org/software/libc/manual/html_node/Memory-Allocation-Tunables.html,
 * `glibc.malloc.arena_max`); the server's threads (the main one, libuv's pool running the SQLite
 * statements, V8's GC helpers) kept ~10 MB more RSS that way. Under the connect-flow load of
 * connect-flows.bench.ts the compiled server held 199–202 MB after 30 s with the default,
 * 187–191 MB with 2 arenas, at the same flows/s (and the same credentials req/s), measured
 * 2026-12-03. Not a Node flag, so it cannot go in NODE_OPTIONS: a container or process manager
 * sets it in the environment (README, Scaling out).
 */
export const SERVER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The shell command that starts `script` as the server runs: `MALLOC_ARENA_MAX=2 node --… <script>`. */
export function serverStartCommand(script: string): string {
  const env = Object.entries(SERVER_PROCESS_ENV).map(([k, v]) => `${k}=${v}`);
  return [...env, 'node', ...SERVER_NODE_FLAGS, script].join(' ');
}
