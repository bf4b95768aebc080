import { createPlugboardClient, plugboardErrorCode, type PlugboardClient } from '@plugboard/client';
import { ManualClock, newId, openStoredCredentials } from '@plugboard/core';
import { Connection } from '@plugboard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserAgent, startTestStack, type TestStack } from './testing';

/**
 * Slack with token rotation and bot scopes, end to end over real HTTP (Plugboard ↔ the mock's
 * Slack, a real SQLite file): the install's bot token (`xoxe.xoxb-`, 12 h) is stored beside the
 * user token, each with its own refresh token; `server.connections.credentials` hands the
 * backend both and refreshes each with its own refresh token before it expires; a dead refresh
 * token means needs_reauth (https://docs.slack.dev/authentication/using-token-rotation).
 */
const TWELVE_HOURS = 43_200;

describe('Slack bot + user token rotation through the server API', () => {
  const apiKey = newId('pk_');
  let stack: TestStack;
  let clock: ManualClock;
  let plugboard: PlugboardClient;

  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.mockUrl}/__control${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const slackCall = async (method: string, token: string) =>
    (await (
      await fetch(`${stack.mockUrl}/slack/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { ok: boolean; error?: string };

  beforeAll(async () => {
    clock = new ManualClock();
    stack = await startTestStack({ clock, env: { PLUGBOARD_BOOTSTRAP_API_KEY: apiKey } });
    plugboard = createPlugboardClient({ url: stack.url, apiKey });
    await control('/slack/apps', {
      clientId: stack.env.integrations.slack.clientId,
      tokenRotation: true,
    });
    await plugboard.integrations.upsert.mutate({
      providerId: 'slack',
      scopes: ['channels:read', 'users:read', 'bot:channels:read', 'bot:chat:write'],
    });
  });
  afterAll(async () => stack?.close());

  async function connect(user: string) {
    const link = await plugboard.connectTokens.create.mutate({ externalUserId: user });
    const browser = new BrowserAgent(stack.url);
    await browser.navigate(link.connectLinkUrl);
    const attempt = await browser.connect(stack.url, 'slack');
    expect(attempt.status).toBe('completed');
    return attempt.connection!.id;
  }
  const sealed = async (connectionId: string) => {
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    const c = openStoredCredentials(stack.server.deps.keyring, row.id, row.credentialsEnc!);
    if (c.type !== 'oauth2') throw new Error('not oauth2');
    return c;
  };

  it('hands over both tokens and refreshes each before it expires, rotation persisted', async () => {
    const connectionId = await connect('slack-bot-user');
    const first = await plugboard.connections.credentials.mutate({ connectionId });
    if (first.type !== 'oauth2') throw new Error('not oauth2');
    expect(first.accessToken).toMatch(/^xoxe\.xoxp-/);
    const bot = first.additionalTokens?.bot;
    expect(bot).toMatchObject({
      accessToken: expect.stringMatching(/^xoxe\.xoxb-/),
      scopes: ['channels:read', 'chat:write'],
    });
    expect(new Date(bot!.expiresAt!).getTime() - clock.now().getTime()).toBeGreaterThan(
      (TWELVE_HOURS - 60) * 1000,
    );
    expect(JSON.stringify(first)).not.toMatch(/xoxe-1-/);
    const stored = await sealed(connectionId);
    expect(stored.additionalTokens?.bot?.refreshToken).toMatch(/^xoxe-1-/);
    expect(stored.additionalTokens?.bot?.refreshToken).not.toBe(stored.refreshToken);

    // Two minutes before they expire (both clocks), the tokens are due: one call refreshes both.
    clock.advance(TWELVE_HOURS - 120);
    await control('/clock/advance', { seconds: TWELVE_HOURS - 120 });
    const second = await plugboard.connections.credentials.mutate({ connectionId });
    if (second.type !== 'oauth2') throw new Error('not oauth2');
    expect(second.refreshed).toBe(true);
    const newBot = second.additionalTokens!.bot!;
    expect(newBot.accessToken).not.toBe(bot!.accessToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(new Date(newBot.expiresAt!).getTime()).toBeGreaterThan(
      clock.now().getTime() + (TWELVE_HOURS - 60) * 1000,
    );
    // The rotation was persisted: new refresh tokens for both, the old ones dead at Slack.
    const after = await sealed(connectionId);
    expect(after.additionalTokens!.bot!.refreshToken).not.toBe(
      stored.additionalTokens!.bot!.refreshToken,
    );
    expect(after.refreshToken).not.toBe(stored.refreshToken);
    // Two minutes later the old bot token has expired at Slack; the new one works.
    await control('/clock/advance', { seconds: 120 });
    expect(await slackCall('conversations.list', bot!.accessToken)).toEqual({
      ok: false,
      error: 'token_expired',
    });
    expect(await slackCall('conversations.list', newBot.accessToken)).toMatchObject({ ok: true });
    // Not due again: the same tokens come back without a refresh.
    const third = await plugboard.connections.credentials.mutate({ connectionId });
    expect(third).toMatchObject({ refreshed: false, accessToken: second.accessToken });
  });

  it('a bot refresh token Slack no longer accepts makes the connection needs_reauth', async () => {
    const connectionId = await connect('slack-bot-dead');
    const stored = await sealed(connectionId);
    // The bot's refresh token is used elsewhere (Slack revokes a refresh token on use).
    const used = await fetch(`${stack.mockUrl}/slack/api/oauth.v2.access`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: stack.env.integrations.slack.clientId,
        client_secret: stack.env.integrations.slack.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: stored.additionalTokens!.bot!.refreshToken!,
      }),
    });
    expect(await used.json()).toMatchObject({ ok: true, token_type: 'bot' });
    const refused = await plugboard.connections.credentials
      .mutate({ connectionId, forceRefresh: true })
      .catch((e: unknown) => e);
    expect(plugboardErrorCode(refused)).toBe('CONNECTION_NEEDS_REAUTH');
    const row = await stack.orm.em.fork().findOneOrFail(Connection, { id: connectionId });
    expect(row.status).toBe('needs_reauth');
  });
});
