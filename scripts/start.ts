/**
 * `pnpm start`: runs the mock providers, the Plugboard server and the example host app
 * (apps/example-host) together (the web app, the SDK and the server's bundle are built by the
 * script before this one), prefixes their output, and stops them all on Ctrl-C. The server migrates its SQLite
 * database on start and prints the URL to open; the example host provisions its API client on
 * first start and prints its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS, SERVER_PROCESS_ENV } from '../apps/server/src/node-flags';

const root = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

/** Under tsx unless `script` names a compiled file (the server's dist/main.js, apps/server/build.ts). */
function run(
  name: string,
  cwd: string,
  colour: number,
  env: NodeJS.ProcessEnv = process.env,
  script: string[] = ['--import', 'tsx', 'src/main.ts'],
) {
  const child = spawn(process.execPath, script, {
    cwd: `${root}/${cwd}`,
    // Paths in the environment are relative to the repository root, where the user ran pnpm.
    env: { ...env, DATA_DIR: process.env.DATA_DIR ?? `${root}/data` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[${colour}m${name.padEnd(6)}\x1b[0m│ `;
  const pipe = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) out.write(`${prefix}${line}\n`);
    });
  };
  pipe(child.stdout!, process.stdout);
  pipe(child.stderr!, process.stderr);
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`${prefix}exited with code ${code}; stopping.\n`);
      stop(code ?? 1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('mock', 'mocks/providers', 35);
// With the flags and environment apps/server's own start script passes (apps/server/src/node-flags.ts).
run('server', 'apps/server', 36, { ...process.env, ...SERVER_PROCESS_ENV }, [
  ...SERVER_NODE_FLAGS,
  'dist/main.js',
]);
// The example host is another app on another origin (127.0.0.1 vs Plugboard's localhost), so it
// gets its own port and URL, and Plugboard's and the mock's addresses as the server has them.
const { PORT, PUBLIC_URL, MOCK_PROVIDERS_URL, ...rest } = process.env;
run('host', 'apps/example-host', 33, {
  ...rest,
  PORT: process.env.EXAMPLE_HOST_PORT ?? '3001',
  PLUGBOARD_URL: PUBLIC_URL ?? `http://localhost:${PORT ?? '3000'}`,
  NOTION_API_URL:
    process.env.NOTION_API_URL ?? `${MOCK_PROVIDERS_URL ?? 'http://localhost:4010'}/notion`,
});
