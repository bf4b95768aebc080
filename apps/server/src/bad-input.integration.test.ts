import { createPlugboardClient } from '@plugboard/client';
import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack, testDatabases } from './testing';

/**
 * Hostile input found by issue 7: a NUL or another control character in any string, and a
 * pagination cursor that was forged, tampered with or carries a date the database cannot hold.
 * Each must be a 400 VALIDATION_FAILED with a message a person can act on — never a 500.
 */
const databases = testDatabases(inject('postgresUrl'));

interface Answer {
  status: number;
  body: { error?: { message: string; data?: { code: string; issues?: { path: string }[] } } };
}

describe.each(databases)('bad input on %s', (_db, database) => {
  const apiKey = newId('pk_');
  let stack: TestStack;

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey, RATE_LIMIT: 'off' },
      ...(db ? { database: db } : {}),
    });
  });
  afterAll(async () => stack?.close());

  async function server(
    path: string,
    input: unknown,
    kind: 'query' | 'mutation',
    fetcher: (url: string, init: RequestInit) => Promise<Response> = fetch,
  ): Promise<Answer> {
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const res =
      kind === 'query'
        ? await fetcher(
            `${stack.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
            { headers },
          )
        : await fetcher(`${stack.url}/trpc/${path}`, {
            method: 'POST',
            headers,
            body: JSON.stringify(input),
          });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  }

  const refusedAsControl = (a: Answer, field: string) => {
    expect(a.status).toBe(400);
    expect(a.body.error?.data?.code).toBe('VALIDATION_FAILED');
    expect(a.body.error?.message).toContain(`${field}: must not contain control characters`);
  };

  const validRedirect = 'http://127.0.0.1:9/done';

  it.each([
    ['NUL', '\u0000'],
    ['newline', '\n'],
    ['tab', '\t'],
    ['DEL', '\u007f'],
    ['C1 control', '\u0085'],
    ['lone high surrogate', '\uD800'],
    ['lone low surrogate', '\uDC00'],
  ])('refuses a %s in every string the server API stores or looks up', async (_name, bad) => {
    const user = `user${bad}x`;
    refusedAsControl(
      await server('server.connectTokens.create', { externalUserId: user }, 'mutation'),
      'externalUserId',
    );
    refusedAsControl(
      await server(
        'server.oauth.start',
        { providerId: 'notion', externalUserId: user, redirectUrl: validRedirect },
        'mutation',
      ),
      'externalUserId',
    );
    refusedAsControl(
      await server(
        'server.oauth.start',
        { providerId: 'notion', externalUserId: 'u', redirectUrl: `${validRedirect}?x=${bad}` },
        'mutation',
      ),
      'redirectUrl',
    );
    refusedAsControl(
      await server('server.connections.list', { externalUserId: user }, 'query'),
      'externalUserId',
    );
    refusedAsControl(
      await server('server.webhooks.create', { url: `http://127.0.0.1:59999/h${bad}` }, 'mutation'),
      'url',
    );
    refusedAsControl(
      await server(
        'server.oauth.start',
        {
          providerId: 'shopify',
          externalUserId: 'u',
          redirectUrl: validRedirect,
          inputs: { shop: `a${bad}.myshopify.com` },
        },
        'mutation',
      ),
      'inputs.shop',
    );
  });

  it('refuses control characters in Connect UI input too', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const link = await plugboard.connectTokens.create.mutate({ externalUserId: 'browser-user' });
    const browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    const res = await browser.fetch(`${stack.url}/trpc/connect.oauth.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.url },
      body: JSON.stringify({ providerId: 'shopify', inputs: { shop: 'a\u0000.myshopify.com' } }),
    });
    refusedAsControl(
      { status: res.status, body: (await res.json()) as Answer['body'] },
      'inputs.shop',
    );
  });

  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const cursorRefused = (a: Answer) => {
    expect(a.status).toBe(400);
    expect(a.body.error?.data?.code).toBe('VALIDATION_FAILED');
    expect(a.body.error?.message).toContain('The cursor is invalid; start again without one');
  };

  it.each([
    ['a NUL in the id', ['2026-01-01T00:00:00.000Z', 'conn_\u0000']],
    ['the earliest date JavaScript has', ['-271821-04-20T00:00:00.000Z', 'conn_x']],
    ['the latest date JavaScript has', ['+275760-09-13T00:00:00.000Z', 'conn_x']],
    ['a date before year 0', ['-001000-01-01T00:00:00.000Z', 'conn_x']],
    ['a well-formed but unsigned position', ['2026-01-01T00:00:00.000Z', 'conn_x']],
    ['not an array', { createdAt: 1 }],
  ])('refuses a forged cursor with %s', async (_name, forged) => {
    cursorRefused(await server('server.connections.list', { cursor: cursorOf(forged) }, 'query'));
  });

  it('pages with opaque cursors and refuses a tampered one', async () => {
    const plugboard = createPlugboardClient({ url: stack.url, apiKey });
    const externalUserId = `pager-${newId('')}`;
    for (const n of [1, 2, 3]) {
      await fetch(`${stack.mockUrl}/__control/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider: 'notion',
          account: {
            workspaceId: `00000000-0000-4000-8000-00000000010${n}`,
            workspaceName: `Pager ${n}`,
          },
        }),
      });
      const link = await plugboard.connectTokens.create.mutate({ externalUserId });
      const browser = new BrowserAgent(stack.url);
      await browser.navigate(link.connectLinkUrl);
      expect((await browser.connect(stack.url, 'notion')).status).toBe('completed');
    }
    const first = await server('server.connections.list', { externalUserId, limit: 2 }, 'query');
    expect(first.status).toBe(200);
    const page = (first.body as { result: { data: { nextCursor: string; items: unknown[] } } })
      .result.data;
    expect(page.items).toHaveLength(2);
    // Opaque: the cursor does not show the row's id or time.
    const ids = page.items.map((c) => (c as { id: string }).id);
    for (const part of page.nextCursor.split('.')) {
      const decoded = Buffer.from(part, 'base64url').toString('latin1');
      for (const id of ids) expect(decoded).not.toContain(id.slice(5));
      expect(decoded).not.toMatch(/conn_|20\d\d-|17\d{11}/);
    }
    const second = await server(
      'server.connections.list',
      { externalUserId, limit: 2, cursor: page.nextCursor },
      'query',
    );
    expect(second.status).toBe(200);
    const flipped =
      page.nextCursor.slice(0, 5) +
      (page.nextCursor[5] === 'A' ? 'B' : 'A') +
      page.nextCursor.slice(6);
    cursorRefused(await server('server.connections.list', { cursor: flipped }, 'query'));
    cursorRefused(await server('server.connections.list', { cursor: 'not-a-cursor' }, 'query'));
  });
});
