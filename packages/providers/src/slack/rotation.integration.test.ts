import type { PlugboardError } from '@plugboard/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { parseStoredCredentials, serializeCredentials } from '../modes/stored-credentials';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';

// Against the mock's Slack (mocks/providers/src/slack/rotation.ts): token rotation is an app
// setting at Slack (https://docs.slack.dev/authentication/using-token-rotation).
const slack = getProvider('slack');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

const withRotation = {
  before: (config: { clientId: string }) =>
    mock.control('POST', '/slack/apps', { clientId: config.clientId, tokenRotation: true }),
};

describe('Slack token rotation', () => {
  it('stores the expiring user token with its refresh token and refreshes it', async () => {
    const started = Date.now();
    const { credentials, ctx, account } = await mock.connect(slack, withRotation);
    expect(account.accountId).toBe('T0ACME00001:U0ADA000001');
    expect(credentials.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(credentials.refreshToken).toMatch(/^xoxe-1-/);
    const lifetime = credentials.expiresAt!.getTime() - started;
    expect(lifetime).toBeGreaterThan(43_200_000 - 5000);
    expect(lifetime).toBeLessThanOrEqual(43_200_000 + 5000);

    const refreshed = await oauth2Mode.refresh(slack, credentials, ctx);
    expect(refreshed.accessToken).toMatch(/^xoxe\.xoxp-/);
    expect(refreshed.refreshToken).toMatch(/^xoxe-1-/);
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(refreshed.expiresAt).not.toBeNull();
    // The new token is the user's, and works.
    const me = await oauth2Mode.identity(slack, refreshed, { http: ctx.http, config: ctx.config });
    expect(me.accountId).toBe(account.accountId);
    // Slack revoked the used refresh token: reusing it means the grant must be renewed.
    const reused = await oauth2Mode.refresh(slack, credentials, ctx).catch((e: unknown) => e);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
  });

  it('without rotation keeps the non-expiring user token, with nothing to refresh', async () => {
    const { credentials } = await mock.connect(slack);
    expect(credentials.accessToken).toMatch(/^xoxp-/);
    expect(credentials).toMatchObject({ refreshToken: null, expiresAt: null });
    expect(oauth2Mode.refreshable(credentials)).toBe(false);
  });

  // An app with bot scopes and rotation on gets a bot token on top of oauth.v2.access's answer,
  // with its own refresh token and expires_in, beside the user token in `authed_user`
  // (https://docs.slack.dev/authentication/using-token-rotation).
  const BOT_SCOPES = [...slack.scopes, 'bot:channels:read'];
  const TWELVE_HOURS = 43_200;
  const slackCall = async (method: string, token: string) =>
    (await (
      await fetch(`${mock.url}/slack/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { ok: boolean; error?: string; user_id?: string };

  it('with bot scopes stores the rotating bot token too and refreshes each with its own refresh token', async () => {
    const started = Date.now();
    const connected = await mock.connect(slack, { ...withRotation, scopes: BOT_SCOPES });
    const { credentials, ctx } = connected;
    const q = connected.authorizationUrl.searchParams;
    expect(q.get('scope')).toBe('channels:read');
    expect(q.get('user_scope')).toBe(slack.scopes.join(','));
    // The user token stays the connection's own; the bot token is stored beside it.
    expect(credentials.accessToken).toMatch(/^xoxe\.xoxp-/);
    const bot = credentials.additionalTokens?.bot;
    expect(bot).toMatchObject({
      accessToken: expect.stringMatching(/^xoxe\.xoxb-/),
      refreshToken: expect.stringMatching(/^xoxe-1-/),
      scopes: ['channels:read'],
    });
    expect(bot!.refreshToken).not.toBe(credentials.refreshToken);
    expect(bot!.expiresAt!.getTime() - started).toBeGreaterThan(TWELVE_HOURS * 1000 - 5000);
    // Sealed and opened again, nothing is lost.
    expect(parseStoredCredentials(serializeCredentials(credentials))).toEqual(credentials);
    // The backend gets both tokens, no refresh token.
    const dto = oauth2Mode.toDto(slack, credentials);
    expect(dto.accessToken).toBe(credentials.accessToken);
    expect(dto.additionalTokens).toEqual({
      bot: {
        accessToken: bot!.accessToken,
        tokenType: 'bearer',
        expiresAt: bot!.expiresAt!.toISOString(),
        scopes: ['channels:read'],
      },
    });
    expect(JSON.stringify(dto)).not.toContain('xoxe-1-');
    expect(await slackCall('auth.test', bot!.accessToken)).toMatchObject({ ok: true });

    // Twelve hours on, Slack refuses the expired bot token; the connection is due.
    expect(oauth2Mode.expiresAt(credentials)!.getTime()).toBeLessThanOrEqual(
      bot!.expiresAt!.getTime(),
    );
    await mock.control('POST', '/clock/advance', { seconds: TWELVE_HOURS });
    for (const method of ['auth.test', 'conversations.list']) {
      expect(await slackCall(method, bot!.accessToken)).toEqual({
        ok: false,
        error: 'token_expired',
      });
    }
    const later = { ...ctx, now: new Date(Date.now() + TWELVE_HOURS * 1000) };
    const refreshed = await oauth2Mode.refresh(slack, credentials, later);
    const newBot = refreshed.additionalTokens!.bot!;
    expect(newBot.accessToken).toMatch(/^xoxe\.xoxb-/);
    expect(newBot.accessToken).not.toBe(bot!.accessToken);
    expect(newBot.refreshToken).toMatch(/^xoxe-1-/);
    expect(newBot.refreshToken).not.toBe(bot!.refreshToken);
    expect(newBot.expiresAt!.getTime()).toBeGreaterThan(later.now.getTime());
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(await slackCall('conversations.list', newBot.accessToken)).toMatchObject({ ok: true });
    // Still the bot: the refreshed bot token is not mixed up with the user's.
    const botMe = await slackCall('auth.test', newBot.accessToken);
    const userMe = await slackCall('auth.test', refreshed.accessToken);
    expect(botMe.user_id).not.toBe(userMe.user_id);
    expect(userMe.user_id).toBe('U0ADA000001');

    // Each refresh token works once: the old bot one is dead, which means reconnecting.
    const oldBotOnly = { ...credentials, refreshToken: null };
    const reused = await oauth2Mode.refresh(slack, oldBotOnly, later).catch((e: unknown) => e);
    expect((reused as PlugboardError).code).toBe('GRANT_INVALID');
  });

  it('a bot refresh answer without refresh_token keeps the stored one, which still works', async () => {
    const { credentials, ctx } = await mock.connect(slack, {
      ...withRotation,
      scopes: BOT_SCOPES,
    });
    // Both refreshes of this round (user, then bot) come back without a refresh token.
    await mock.fault(slack, 'omit_refresh_token', 'token', { count: 2 });
    const first = await oauth2Mode.refresh(slack, credentials, ctx);
    const bot = credentials.additionalTokens!.bot!;
    expect(first.refreshToken).toBe(credentials.refreshToken);
    expect(first.additionalTokens!.bot!.refreshToken).toBe(bot.refreshToken);
    expect(first.additionalTokens!.bot!.accessToken).not.toBe(bot.accessToken);
    const second = await oauth2Mode.refresh(slack, first, ctx);
    expect(second.additionalTokens!.bot!.refreshToken).not.toBe(bot.refreshToken);
    expect(await slackCall('auth.test', second.additionalTokens!.bot!.accessToken)).toMatchObject({
      ok: true,
    });
  });

  it('a dead bot refresh token is GRANT_INVALID even when the user token refreshed', async () => {
    const { credentials, ctx } = await mock.connect(slack, {
      ...withRotation,
      scopes: BOT_SCOPES,
    });
    // Someone else used the bot's refresh token (Slack revokes it on use).
    await oauth2Mode.refresh(slack, { ...credentials, refreshToken: null }, ctx);
    const result = await oauth2Mode.refresh(slack, credentials, ctx).catch((e: unknown) => e);
    expect((result as PlugboardError).code).toBe('GRANT_INVALID');
  });
});
