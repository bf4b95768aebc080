import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { ConnectToken } from '@plugboard/db';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, testDatabases, type TestStack } from './testing';

/**
 * Embedding (issue 9 §1–2): what a connect token's intent does to the session, and the framing
 * and opener headers that follow the session — relaxed for exactly the token's allowedOrigins,
 * strict for everyone else.
 */
const HOST = 'https://app.example';
const OTHER = 'https://evil.example';
const STRICT_ANCESTORS = "frame-ancestors 'none'";

function issuePaths(err: unknown): string[] {
  const data = (err as { data?: { issues?: { path: string }[] } }).data;
  return (data?.issues ?? []).map((i) => i.path);
}

describe.each(testDatabases(inject('postgresUrl')))('embedding on %s', (_name, database) => {
  const apiKey = newId('pk_');
  const webDir = mkdtempSync(join(tmpdir(), 'plugboard-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Connect UI</title>');
  let stack: TestStack;
  let plugboard: PlugboardClient;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey },
      webDistDir: webDir,
      ...(db ? { database: db } : {}),
    });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const tokenCount = () => stack.orm.em.fork().count(ConnectToken, {});

  it('refuses redirect URLs off the allowed origins or without https, at mint time', async () => {
    const before = await tokenCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ allowedOrigins: [HOST], successRedirectUrl: `${OTHER}/done` }, 'successRedirectUrl'],
      [{ successRedirectUrl: `${HOST}/done` }, 'successRedirectUrl'],
      [{ allowedOrigins: [HOST], errorRedirectUrl: `${OTHER}/failed` }, 'errorRedirectUrl'],
      [
        { allowedOrigins: ['http://app.example'], successRedirectUrl: 'http://app.example/done' },
        'successRedirectUrl',
      ],
      [{ allowedOrigins: [HOST], successRedirectUrl: 'javascript:alert(1)' }, 'successRedirectUrl'],
      [{ providerId: 'myspace' }, 'providerId'],
      [{ endUserLabel: 'Ada\nLovelace' }, 'endUserLabel'],
      [{ endUserLabel: 'x'.repeat(101) }, 'endUserLabel'],
    ];
    for (const [extra, path] of cases) {
      const err = await plugboard.connectTokens.create
        .mutate({ externalUserId: 'u', ...extra } as never)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(plugboardErrorCode(err), JSON.stringify(extra)).toBe('VALIDATION_FAILED');
      expect(issuePaths(err), JSON.stringify(extra)).toContain(path);
    }
    expect(await tokenCount()).toBe(before);
    // Loopback http is development's way to run a host app on this machine.
    await expect(
      plugboard.connectTokens.create.mutate({
        externalUserId: 'u',
        allowedOrigins: ['http://localhost:3001'],
        successRedirectUrl: 'http://localhost:3001/done?x=1',
      }),
    ).resolves.toHaveProperty('token');
  });

  it('carries providerId, redirects and endUserLabel from the token to the session', async () => {
    const minted = await plugboard.connectTokens.create.mutate({
      externalUserId: 'user-7',
      allowedOrigins: [HOST],
      providerId: 'notion',
      successRedirectUrl: `${HOST}/integrations/done`,
      errorRedirectUrl: `${HOST}/integrations/failed`,
      endUserLabel: 'Ada Lovelace',
    });
    const browser = new BrowserAgent(stack.url);
    await browser.fetch(minted.connectLinkUrl);
    const api = browser.trpc(stack.url);
    const { session } = await api.connect.session.me.query();
    expect(session).toMatchObject({
      externalUserId: 'user-7',
      endUserLabel: 'Ada Lovelace',
      allowedOrigins: [HOST],
      providerId: 'notion',
      successRedirectUrl: `${HOST}/integrations/done`,
      errorRedirectUrl: `${HOST}/integrations/failed`,
    });
    // A one-provider link offers that provider only, and refuses a start for another.
    expect((await api.connect.providers.list.query()).map((p) => p.id)).toEqual(['notion']);
    await expect(api.connect.oauth.start.mutate({ providerId: 'github' })).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'FORBIDDEN',
    );
    await expect(api.connect.telegram.qr.start.mutate()).rejects.toSatisfy(
      (e) => plugboardErrorCode(e) === 'FORBIDDEN',
    );
    await expect(api.connect.oauth.start.mutate({ providerId: 'notion' })).resolves.toHaveProperty(
      'attemptId',
    );
  });

  it('lets exactly the allowed origins frame and open a session minted for them', async () => {
    const minted = await plugboard.connectTokens.create.mutate({
      externalUserId: 'user-8',
      allowedOrigins: [HOST, 'http://localhost:3001'],
    });
    const browser = new BrowserAgent(stack.url);
    const link = new URL(minted.connectLinkUrl);
    link.searchParams.set('embed', 'popup');
    link.searchParams.set('origin', HOST);
    link.searchParams.set('provider', 'shopify');
    link.searchParams.set('shop', 'acme');
    const landing = await browser.fetch(link.toString());
    expect(landing.status).toBe(303);
    expect(landing.headers.get('location')).toBe(
      `${stack.url}/?embed=popup&origin=${encodeURIComponent(HOST)}&provider=shopify&shop=acme`,
    );
    // The redirect itself must not cut the popup off from its opener.
    expect(landing.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');

    const page = await browser.fetch(`${stack.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(
      `frame-ancestors ${HOST} http://localhost:3001;`,
    );
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    const result = await browser.fetch(`${stack.url}/connect/result?attempt=att_x`, {
      headers: { accept: 'text/html' },
    });
    expect(result.headers.get('content-security-policy')).toContain(`frame-ancestors ${HOST}`);
  });

  it('keeps the strict headers for every other page: no session, or one without origins', async () => {
    const expectStrict = (res: Response) => {
      expect(res.headers.get('content-security-policy')).toContain(STRICT_ANCESTORS);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    };
    expectStrict(await fetch(`${stack.url}/`, { headers: { accept: 'text/html' } }));
    const plain = await plugboard.connectTokens.create.mutate({ externalUserId: 'user-9' });
    const browser = new BrowserAgent(stack.url);
    const landing = await browser.fetch(plain.connectLinkUrl);
    expect(landing.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expectStrict(await browser.fetch(`${stack.url}/`, { headers: { accept: 'text/html' } }));
    // A forged or stale cookie is no session.
    expectStrict(
      await fetch(`${stack.url}/`, { headers: { accept: 'text/html', cookie: 'pb_session=x' } }),
    );
  });

  it('refuses a link opened by a page the token did not allow: no cookie, strict headers', async () => {
    const minted = await plugboard.connectTokens.create.mutate({
      externalUserId: 'user-10',
      allowedOrigins: [HOST],
    });
    for (const [embed, origin] of [
      ['popup', OTHER],
      ['modal', OTHER],
      ['popup', `${HOST}/`],
    ] as const) {
      const again = await plugboard.connectTokens.create.mutate({
        externalUserId: 'user-10',
        allowedOrigins: [HOST],
      });
      const browser = new BrowserAgent(stack.url);
      const link = new URL(again.connectLinkUrl);
      link.searchParams.set('embed', embed);
      link.searchParams.set('origin', origin);
      const res = await browser.fetch(link.toString());
      expect(res.headers.get('location')).toBe(
        `${stack.url}/connect/result?error=EMBED_ORIGIN_NOT_ALLOWED`,
      );
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
    // A modal for an allowed origin gets the cookie an iframe can keep (third-party context).
    const browser = new BrowserAgent(stack.url);
    const link = new URL(minted.connectLinkUrl);
    link.searchParams.set('embed', 'modal');
    link.searchParams.set('origin', HOST);
    const res = await browser.fetch(link.toString());
    expect(res.headers.get('location')).toBe(
      `${stack.url}/?embed=modal&origin=${encodeURIComponent(HOST)}`,
    );
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/SameSite=None/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
  });

  it('serves the browser SDK as a cacheable, cross-origin ES module', async () => {
    const res = await fetch(`${stack.url}/sdk/connect.js`, { headers: { origin: HOST } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(await res.text()).toContain('createPlugboardConnect');
    const again = await fetch(`${stack.url}/sdk/connect.js`, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });
});
