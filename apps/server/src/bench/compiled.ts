/**
 * The server as `pnpm start` runs it, for the benchmarks that measure its memory: the compiled
 * bundle (build.ts → dist/main.js) under plain `node` — not under tsx, whose loader and
 * transpiled sources add ~40 MB of RSS that production never has.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rssMbOf } from './load';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export interface CompiledServer {
  url: string;
  pid: number;
  rssMb(): number;
  close(): Promise<void>;
}

/** Builds dist/main.js (apps/server/build.ts). */
export async function buildServer(): Promise<void> {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: serverDir });
}

/** The compiled server on `env` (its PORT), started with `flags`; resolves once /healthz answers. */
export async function startCompiled(
  env: Record<string, string>,
  flags: readonly string[],
): Promise<CompiledServer> {
  const child = spawn(process.execPath, [...flags, 'dist/main.js'], {
    cwd: serverDir,
    // Only the bench's environment: the server is started by its absolute node path.
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`dist/main.js exited (${code})`))),
  );
  for (let i = 0; ; i++) {
    const up = await Promise.race([
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (i > 300) throw new Error('dist/main.js did not answer /healthz within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    rssMb: () => rssMbOf(child.pid!),
    close: async () => {
      child.removeAllListeners('exit');
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}
