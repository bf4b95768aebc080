import { newId } from '@plugboard/core';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, rest, startTestStack, type TestStack } from '../testing';

/**
 * examples/python/headless_connect.py, run by python3 against a real server and the mock
 * providers: it starts the attempt over REST, this test is the user's browser (consent over
 * HTTP, as headless-oauth.integration.test.ts does it), and the script completes, reads the
 * credentials and calls Notion through the proxy.
 */
const script = fileURLToPath(
  new URL('../../../../examples/python/headless_connect.py', import.meta.url),
);

/** The interpreter itself (not a shim), so the script runs with no environment but its key. */
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();

interface Run {
  code: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs the script; when it prints the URL to open, `browse` plays the browser. */
function runExample(
  stack: TestStack,
  apiKey: string,
  args: string[],
  browse: (authorizationUrl: string) => Promise<void>,
): Promise<Run> {
  const child = spawn(python, [script, '--url', stack.url, '--timeout', '30', ...args], {
    env: { PLUGBOARD_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const browsing: Promise<void>[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout.push(line);
    const open = /^Open this URL in a browser: (\S+)$/.exec(line);
    if (open) browsing.push(browse(open[1]!));
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      Promise.all(browsing).then(() => resolve({ code, stdout, stderr }), reject);
    });
  });
}

const consent = (stack: TestStack, decision: 'allow' | 'deny') => async (url: string) => {
  const browser = new BrowserAgent(stack.url);
  const page = await browser.navigate(url);
  expect(page.url.startsWith(`${stack.mockUrl}/notion/`)).toBe(true);
  const back = await browser.decide(page.url, await page.res.text(), decision);
  expect(await back.res.text()).toMatch(/You can close this window/);
};

describe('the Python example (standard library only)', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('imports nothing outside the standard library', () => {
    const check = spawnSync(
      python,
      [
        '-c',
        'import ast, sys; tree = ast.parse(open(sys.argv[1]).read()); ' +
          'names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | ' +
          '{n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}; ' +
          'print(sorted(names - set(sys.stdlib_module_names)))',
        script,
      ],
      { encoding: 'utf8' },
    );
    expect(check.stderr).toBe('');
    expect(check.stdout.trim()).toBe('[]');
  });

  it('start → browser consent → complete → credentials → proxy', async () => {
    const run = await runExample(stack, apiKey, ['--user', 'py-ada'], consent(stack, 'allow'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({
      providerId: 'notion',
      credentialsType: 'oauth2',
      hasAccessToken: true,
      proxyStatus: 200,
    });
    // Notion's search answered through the proxy, with the mock workspace's pages.
    expect(summary.searchResults).toBeGreaterThan(0);
    const connection = await rest(stack.url, apiKey, {
      method: 'GET',
      path: `/connections/${summary.connectionId as string}`,
    });
    expect(connection.body).toMatchObject({ externalUserId: 'py-ada', providerId: 'notion' });
    // Nothing secret on the terminal.
    expect(run.stdout.join('\n')).not.toContain(apiKey);
  });

  it('a denied consent ends with PROVIDER_DENIED and exit status 1', async () => {
    const run = await runExample(
      stack,
      apiKey,
      ['--user', 'py-bob', '--no-proxy'],
      consent(stack, 'deny'),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: PROVIDER_DENIED: /);
  });

  it('a wrong API key ends with API_KEY_INVALID before any browser step', async () => {
    const run = await runExample(stack, 'pk_wrongwrongwrongwrong00', [], async () => {
      throw new Error('no browser step expected');
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`error: API_KEY_INVALID: The API key is missing or not valid.`);
  });
});
