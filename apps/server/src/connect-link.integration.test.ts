import { createPlugboardClient, plugboardErrorCode } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/** The Pipedream model: a backend mints a connect token, the browser trades it for a session. */
describe('connect links', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
  });
  afterAll(async () => stack?.close());

  it('a backend mints a single-use link that opens a session for its end user', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const minted = await plugboard.connectTokens.create.mutate({
      externalUserId: 'user-42',
      ttlSeconds: 600,
    });
    expect(minted.token).toMatch(/^ctok_[A-Za-z0-9_-]{43}$/);
    expect(minted.connectLinkUrl).toBe(`${stack.url}/connect?token=${minted.token}`);
    expect(Date.parse(minted.expiresAt) - Date.now()).toBeGreaterThan(590_000);

    const browser = new BrowserAgent(stack.url);
    const res = await browser.fetch(minted.connectLinkUrl);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${stack.url}/`);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^pb_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await browser.trpc(stack.url).connect.session.me.query();
    expect(me.session?.externalUserId).toBe('user-42');

    // Used once: a second browser opening the same link gets no session.
    const again = new BrowserAgent(stack.url);
    const second = await again.fetch(minted.connectLinkUrl);
    expect(second.headers.get('location')).toBe(
      `${stack.url}/connect/result?error=CONNECT_TOKEN_INVALID`,
    );
    expect(second.headers.getSetCookie()).toEqual([]);
    expect(stack.logs.join('')).not.toContain(minted.token);
  });

  it('refuses a wrong API key and invalid input with stable codes', async () => {
    const wrong = createPlugboardClient({ url: stack.url, apiKey: newId('pk_') });
    await expect(wrong.connectTokens.create.mutate({ externalUserId: 'u' })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'API_KEY_INVALID',
    );
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    await expect(
      plugboard.connectTokens.create.mutate({ externalUserId: 'x'.repeat(251) }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'VALIDATION_FAILED');
    await expect(
      plugboard.connectTokens.create.mutate({
        externalUserId: 'u',
        allowedOrigins: ['https://app.example/path'],
      }),
    ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'VALIDATION_FAILED');
  });

  it('carries the locale the backend chose from the token to the session, canonicalised', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const openWith = async (input: { externalUserId: string; locale?: string }) => {
      const minted = await plugboard.connectTokens.create.mutate(input);
      const browser = new BrowserAgent(stack.url);
      expect((await browser.fetch(minted.connectLinkUrl)).status).toBe(303);
      return (await browser.trpc(stack.url).connect.session.me.query()).session;
    };
    expect((await openWith({ externalUserId: 'user-de', locale: 'de-at' }))?.locale).toBe('de-AT');
    // Valid but not shipped by the Connect UI: stored as given, the UI falls back.
    expect((await openWith({ externalUserId: 'user-fr', locale: 'fr' }))?.locale).toBe('fr');
    expect((await openWith({ externalUserId: 'user-none' }))?.locale).toBeNull();

    for (const locale of ['german', 'de_DE', '', 'x'.repeat(40), 'en-US-u-ca-gregory-'.repeat(3)]) {
      await expect(
        plugboard.connectTokens.create.mutate({ externalUserId: 'u', locale }),
      ).rejects.toSatisfy((e) => plugboardErrorCode(e) === 'VALIDATION_FAILED');
    }
  });

  it('a garbage or missing token lands on a clear error page', async () => {
    const browser = new BrowserAgent(stack.url);
    for (const q of ['?token=ctok_nope', '', '?token=a&token=b']) {
      const res = await browser.fetch(`${stack.url}/connect${q}`);
      expect(res.headers.get('location')).toBe(
        `${stack.url}/connect/result?error=CONNECT_TOKEN_INVALID`,
      );
    }
  });
});
