import { createHash, randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthorizeExample } from '../src/core/personality';
import { personalities } from '../src/registry';
import { startTestMock } from '../src/testing/harness';
import type { TestMock } from '../src/testing/harness';
import { CallbackListener } from './callback-listener';

/**
 * Every OAuth personality's consent page, in a real browser: Allow brings the app a code and its
 * state, Deny brings the provider's denial. Personalities come from the registry, so one added
 * later is covered without touching this file; what its authorize request needs beyond the
 * defaults is the personality's own `authorizeExample`.
 */

type ProviderCase = AuthorizeExample;

const PROVIDERS: Record<string, ProviderCase> = Object.fromEntries(
  personalities.map((p) => [p.id, p.authorizeExample ?? {}]),
);

const oauthPersonalities = personalities.filter((p) => p.endpoints.includes('authorize'));

let browser: Browser;
let mock: TestMock;
let listener: CallbackListener;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // Debian's Chromium, never a downloaded browser; the flags keep it from calling home.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  mock = await startTestMock();
  listener = await CallbackListener.start();
});

afterAll(async () => {
  await browser?.close();
  await listener?.close();
  await mock?.close();
});

beforeEach(async () => {
  await mock.control.reset();
  context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

interface RouteInfo {
  method: string;
  path: string;
  endpoint: string;
}

/** The authorize route as the mock lists it, with path parameters filled in. */
async function authorizePath(providerId: string, provider: ProviderCase): Promise<string> {
  const listing = (await (await mock.control.call('GET', '')).json()) as {
    providers: { id: string; routes: RouteInfo[] }[];
  };
  const route = listing.providers
    .find((p) => p.id === providerId)
    ?.routes.find((r) => r.method === 'GET' && r.endpoint === 'authorize');
  if (route === undefined) throw new Error(`${providerId} lists no GET authorize route.`);
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = provider.pathParams?.[name];
    if (value === undefined) {
      throw new Error(
        `${providerId}: add pathParams.${name} to its personality's authorizeExample.`,
      );
    }
    return encodeURIComponent(value);
  });
}

/** Registers a client that redirects to the listener and opens its consent page. */
async function openConsentPage(providerId: string, decisionLabel: string) {
  const provider = PROVIDERS[providerId] ?? {};
  const callbackPath = `/callback/${providerId}/${decisionLabel}`;
  const redirectUri = `${listener.url}${callbackPath}`;
  const clientId = `e2e-${providerId}`;
  await mock.control.registerClient({
    provider: providerId,
    clientId,
    clientSecret: `e2e-secret-${providerId}`,
    name: 'Plugboard e2e',
    redirectUris: [redirectUri],
  });
  const state = randomBytes(12).toString('base64url');
  const url = new URL(`${mock.url}${await authorizePath(providerId, provider)}`);
  const verifier = randomBytes(32).toString('base64url');
  const query: Record<string, string> = {
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    ...(provider.responseType === false ? {} : { response_type: 'code' }),
    ...(provider.pkce === false
      ? {}
      : {
          code_challenge: createHash('sha256').update(verifier).digest('base64url'),
          code_challenge_method: 'S256',
        }),
    ...provider.params,
  };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);

  const response = await page.goto(url.toString());
  expect(response?.status(), `authorize page of ${providerId}`).toBe(200);
  return { state, callbackPath, provider };
}

describe('every OAuth consent page', () => {
  it('covers at least the Notion personality', () => {
    expect(oauthPersonalities.map((p) => p.id)).toContain('notion');
  });

  describe.each(oauthPersonalities.map((p) => [p.id, p] as const))('%s', (id, personality) => {
    it('shows the provider and brings a code and the state back on Allow', async () => {
      const { state, callbackPath } = await openConsentPage(id, 'allow');
      expect(await page.locator('body').innerText()).toContain(personality.brand.name);
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      const callback = await listener.next(callbackPath);
      expect(callback.searchParams.get('error')).toBeNull();
      expect(callback.searchParams.get('code')).toMatch(/\S{8,}/);
      expect(callback.searchParams.get('state')).toBe(state);
      await page.getByRole('heading', { name: 'Callback received' }).waitFor();
    });

    it('brings the denial back on Deny', async () => {
      const { state, callbackPath, provider } = await openConsentPage(id, 'deny');
      await page.getByRole('button', { name: 'Deny', exact: true }).click();
      const deny = provider.deny ?? {
        kind: 'redirect',
        error: 'access_denied',
        stateRequired: true,
      };
      if (deny.kind === 'page') {
        await page.getByText(deny.text).first().waitFor();
        expect(listener.received(callbackPath)).toEqual([]);
        return;
      }
      const callback = await listener.next(callbackPath);
      expect(callback.searchParams.get('error')).toBe(deny.error);
      expect(callback.searchParams.get('code')).toBeNull();
      const returnedState = callback.searchParams.get('state');
      if (deny.stateRequired || returnedState !== null) expect(returnedState).toBe(state);
    });
  });
});

describe('Telegram pages', () => {
  const API = { api_id: 12345, api_hash: '0123456789abcdef0123456789abcdef' };

  async function rpc(method: string, body: unknown, session?: string) {
    const response = await fetch(`${mock.url}/telegram/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(session === undefined ? {} : { 'x-telegram-session': session }),
      },
      body: JSON.stringify(body),
    });
    return {
      body: (await response.json()) as Record<string, unknown>,
      session: response.headers.get('x-telegram-session') ?? '',
    };
  }

  it('shows the login code on the phone page', async () => {
    await rpc('auth.sendCode', { phone_number: '+15550000001', ...API });
    const inbox = (await (
      await mock.control.call('GET', '/telegram/inbox?phone=%2B15550000001')
    ).json()) as { messages: { code: string }[] };
    const code = inbox.messages[0]?.code ?? 'missing';

    await page.goto(`${mock.url}/telegram/phone?phone=%2B15550000001`);
    await page.getByRole('heading', { name: 'Telegram on +15550000001' }).waitFor();
    await page.getByText(code, { exact: true }).waitFor();
    expect(await page.locator('header').innerText()).toContain('Telegram');
  });

  it('approves a QR login from the scan page', async () => {
    const exported = await rpc('auth.exportLoginToken', { ...API, except_ids: [] });
    expect(exported.body['_']).toBe('auth.loginToken');

    await page.goto(`${mock.url}/telegram/scan`);
    const request = page.getByRole('form', { name: 'Login request 1' });
    await request.getByRole('combobox').selectOption({ value: '15550000001' });
    await request.getByRole('button', { name: 'Approve login' }).click();
    await page.getByRole('status').getByText('Login approved as Ada Lovelace').waitFor();

    const success = await rpc(
      'auth.exportLoginToken',
      { ...API, except_ids: [] },
      exported.session,
    );
    expect(success.body).toMatchObject({
      _: 'auth.loginTokenSuccess',
      authorization: { user: { first_name: 'Ada' } },
    });
  });
});
