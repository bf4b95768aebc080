import { newId } from '@plugboard/core';
import { BrowserAgent, startTestStack, type TestStack } from '@plugboard/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli';

describe('plugboard integrations', () => {
  const apiKey = newId('pk_');
  const secret = `gh-secret-${newId('x_')}`;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  });
  afterAll(async () => stack?.close());

  const run = async (argv: string[], stdin?: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      { url: stack.url, apiKey },
      {
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
      },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('sets a client from stdin, lists where each value comes from, and never prints the secret', async () => {
    const set = await run(
      [
        'integrations',
        'set',
        'github',
        '--client-id',
        'gh-id',
        '--client-secret-stdin',
        '--scope',
        'repo',
      ],
      `${secret}\n`,
    );
    expect(set.code).toBe(0);
    expect(set.out).toBe(
      'github\tenabled\tmode=live (database)\tclient=gh-id (database)\tscopes=repo (database)',
    );
    const listed = await run(['integrations', 'list']);
    expect(listed.out).toContain('notion\tenabled\tmode=mock (default)');
    expect(listed.out).toContain('github\tenabled\tmode=live (database)');
    const json = await run(['integrations', 'get', 'github', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({
      clientSecret: { set: true, source: 'database' },
    });
    expect([set, listed, json].map((r) => r.out + r.err).join('')).not.toContain(secret);

    const cleared = await run([
      'integrations',
      'set',
      'github',
      '--clear-client',
      '--default-scopes',
    ]);
    expect(cleared.out).toMatch(/^github\tenabled\tmode=mock \(default\)/);
  });

  it('disables a provider: the Connect UI stops offering it; set --enable brings it back', async () => {
    const agent = new BrowserAgent(stack.url);
    await agent.demoLogin(stack.url);
    const ids = async () =>
      (await agent.trpc(stack.url).connect.providers.list.query()).map((p) => p.id);
    const off = await run(['integrations', 'disable', 'slack']);
    expect(off).toMatchObject({ code: 0, out: expect.stringMatching(/^slack\tdisabled/) });
    expect(await ids()).not.toContain('slack');
    expect((await run(['integrations', 'set', 'slack', '--enable'])).code).toBe(0);
    expect(await ids()).toContain('slack');
  });

  it('refuses bad use with a usage or the server’s code, changing nothing', async () => {
    expect((await run(['integrations', 'set', 'github'])).code).toBe(2);
    expect((await run(['integrations', 'set', 'github', '--mode', 'turbo'])).code).toBe(2);
    expect(await run(['integrations', 'set', 'github', '--client-id', 'only'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED: Give clientId and clientSecret together/),
    });
    expect(await run(['integrations', 'get', 'nope'])).toMatchObject({
      code: 1,
      err: expect.stringMatching(/^VALIDATION_FAILED/),
    });
    expect((await run(['integrations', 'get', 'github'])).out).toMatch(/mode=mock \(default\)/);
  });
});
