import { readEnv } from './env';
import { startMockProviders } from './index';
import { personalities } from './registry';

const env = readEnv();
const server = await startMockProviders(env);
console.log(`Mock providers listening on ${server.url}`);
for (const p of personalities) console.log(`  ${p.brand.name.padEnd(10)} ${server.url}/${p.id}`);
console.log(`  Control    ${server.url}/__control`);

const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
