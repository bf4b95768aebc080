import { runCli } from './cli';
import { loadCliEnv } from './env';

const code = await runCli(process.argv.slice(2), loadCliEnv(), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
});
process.exit(code);
