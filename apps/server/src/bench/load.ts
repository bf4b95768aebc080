/**
 * Load from outside for `pnpm bench`: a server in a child process (./target.ts) and autocannon
 * (https://github.com/mcollina/autocannon) in this one driving it over loopback HTTP/1.1 with
 * keep-alive, reporting requests/s and latency percentiles. The machine is shared and noisy:
 * compare figures of one run (ratios), not absolute numbers across runs.
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TargetConfig } from './target';

export interface Target {
  url: string;
  pid: number;
  /** Resident set size of the server process, MB (from /proc: what the kernel accounts). */
  rssMb(): number;
  close(): Promise<void>;
}

const TARGET = fileURLToPath(new URL('./target.ts', import.meta.url));

/** A process's resident memory in MB (Linux /proc). */
export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** CPU time (user + system, every thread) a process has used, ms (/proc/<pid>/stat, `man 5 proc`: 10-ms clock ticks). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function startTarget(
  kind: 'plugboard' | 'raw',
  config: TargetConfig,
  /**
   * `targetPath`: another checkout's target.ts (an A/B of two builds, bench/flows-ab.ts);
   * `processEnv`: the child's whole environment (node-flags.ts SERVER_PROCESS_ENV), instead of
   * this process's — the server reads its configuration from `config.env`, not from there.
   */
  opts: { execArgv?: string[]; targetPath?: string; processEnv?: Record<string, string> } = {},
): Promise<Target> {
  const child: ChildProcess = fork(opts.targetPath ?? TARGET, [kind, JSON.stringify(config)], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    ...(opts.processEnv ? { env: { ...opts.processEnv } } : {}),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} target exited (${code})`)));
    child.on('message', (m: { type: string; port: number }) => {
      if (m.type === 'ready') resolve(m.port);
    });
  });
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    rssMb: () => rssMbOf(pid),
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

/** Runs `connections` clients for `seconds` (or `amount` requests) against one request shape. */
export async function load(opts: {
  url: string;
  path: string;
  connections: number;
  seconds?: number;
  amount?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: `${opts.url}${opts.path}`,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds ?? 5 }),
    method: opts.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    ...(opts.body ? { body: opts.body } : {}),
  });
  return {
    rps: result.requests.total / (result.duration || 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
