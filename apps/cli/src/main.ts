import { runCli } from './cli';
import { loadCliEnv } from './env';

const code = await runCli(process.argv.slice(2), loadCliEnv(), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  readStdin: async () => {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  },
});
process.exit(code);
