import { afterAll, bench, describe } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * One complete Notion connection per iteration over real HTTP on loopback: start (tRPC) →
 * consent page (mock) → Allow → callback (state check, code exchange, identity, sealed upsert)
 * → result redirect. SQLite file database.
 */
// Set up at module load: vitest's bench mode runs hooks, but reporting is more reliable this way.
const stack: TestStack = await startTestStack({ env: { LOG_LEVEL: 'warn', RATE_LIMIT: 'off' } });
const agent = new BrowserAgent(stack.url);
await agent.demoLogin(stack.url);

describe('Notion connect round trip', () => {
  afterAll(async () => stack.close());

  bench(
    'start → consent → callback → connection stored',
    async () => {
      const started = await agent
        .trpc(stack.url)
        .connect.oauth.start.mutate({ providerId: 'notion' });
      const consent = await agent.navigate(started.authorizationUrl);
      const landed = await agent.decide(consent.url, await consent.res.text(), 'allow');
      if (!landed.url.includes('attempt=')) throw new Error(`flow failed: ${landed.url}`);
    },
    { time: 5000, warmupIterations: 5 },
  );
});
