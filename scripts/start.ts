/**
 * `pnpm start`: runs the mock providers and the Plugboard server together (the web app is built
 * by the script before this one), prefixes their output, and stops both on Ctrl-C. The server
 * migrates its SQLite database on start and prints the URL to open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];

function run(name: string, cwd: string, colour: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: `${root}/${cwd}`,
    // Paths in the environment are relative to the repository root, where the user ran pnpm.
    env: { ...process.env, DATA_DIR: process.env.DATA_DIR ?? `${root}/data` },
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
run('server', 'apps/server', 36);
