/**
 * The Node.js flags the server runs with: apps/server's `start` script (package.json, checked by
 * node-flags.test.ts), the root `pnpm start` (scripts/start.ts) and memory.bench.ts, which
 * measures them against a server without them in the same run. Anyone starting
 * `node dist/main.js` another way (a container, a process manager) passes them too (README,
 * Configuration → Scaling out).
 *
 * `--max-semi-space-size=16` (MB): caps each semi-space of V8's young generation, where the
 * short-lived objects of a request live (https://v8.dev/blog/orinoco-parallel-scavenger,
 * https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-mib). Without it V8 grows them
 * with the allocation rate on a machine with memory to spare, to 64 MB here (a 128 MB young
 * generation under the credentials load, ~70–80 MB of the server's RSS); capped, more
 * scavenges run, each over a smaller space, at no measurable cost in requests/s (memory.bench.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
