import { PlugboardError } from '@plugboard/contracts';
import { z } from 'zod';
import { defineOAuth2Provider, fetchIdentity, resolveEndpoint } from '../engines/oauth2';
import { accountLabel } from '../label';
import type { ProviderResponse } from '../http';
import type { OAuth2Endpoints, OAuth2Provider, TokenAnswer } from '../types';
import type { Metadata } from './metadata';

/** `oauth.v2.access`: the user token sits in `authed_user`, the bot token (if any) on top. */
const SlackTokenResponseSchema = z.looseObject({
  ok: z.literal(true),
  app_id: z.string().nullish(),
  authed_user: z.looseObject({ id: z.string() }).nullish(),
  team: z.looseObject({ id: z.string(), name: z.string().nullish() }).nullish(),
  enterprise: z.looseObject({ id: z.string() }).nullish(),
});

const SlackUserTokenSchema = z.looseObject({
  access_token: z.string(),
  scope: z.string().nullish(),
  refresh_token: z.string().nullish(),
  expires_in: z.number().nullish(),
});

/** Slack answers every failure with HTTP 200 `{ ok: false, error }`. */
const SlackAnswerSchema = z.looseObject({
  ok: z.boolean(),
  error: z.string().optional(),
  token_type: z.string().optional(),
  authed_user: SlackUserTokenSchema.partial().nullish(),
});

const AuthTestSchema = z.looseObject({
  ok: z.literal(true),
  url: z.string().nullish(),
  team: z.string().nullish(),
  user: z.string().nullish(),
  team_id: z.string(),
  user_id: z.string(),
  enterprise_id: z.string().nullish(),
});

/** Slack's error codes in RFC 6749 terms. */
const RFC_ERRORS: Record<string, string> = {
  invalid_code: 'invalid_grant',
  code_already_used: 'invalid_grant',
  invalid_refresh_token: 'invalid_grant',
  invalid_client_id: 'invalid_client',
  bad_client_secret: 'invalid_client',
};

/** Slack's `{ ok: false, error }` (HTTP 200) in RFC 6749 terms; null for an `ok` answer. */
function slackFailure(res: ProviderResponse): TokenAnswer | null {
  const answer = SlackAnswerSchema.safeParse(res.body);
  if (!answer.success || answer.data.ok) return null;
  const code = answer.data.error ?? 'unknown_error';
  const error = RFC_ERRORS[code] ?? code;
  return { status: error === 'invalid_client' ? 401 : 400, body: { error } };
}

/** Scopes Plugboard is configured with as `bot:<scope>` are bot scopes (`scope`). */
const BOT_SCOPE_PREFIX = 'bot:';

const endpoints = {
  authorize: '/oauth/v2/authorize',
  token: '/api/oauth.v2.access',
  revoke: '/api/auth.revoke',
  identity: '/api/auth.test',
} satisfies OAuth2Endpoints;

export const slack: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof SlackTokenResponseSchema>,
  Metadata
>({
  id: 'slack',
  name: 'Slack',
  description: 'Channels and messages of a Slack workspace.',
  color: '#4a154b',
  liveBaseUrl: 'https://slack.com',
  inputs: [],
  endpoints,
  // The connection acts as the person who connected (a user token, xoxp-), so the scopes go in
  // `user_scope`. An integration configured with `bot:<scope>` scopes also asks for those as
  // bot scopes (`scope`), and the install then carries a bot token too (`additionalTokens.bot`)
  // (https://docs.slack.dev/authentication/installing-with-oauth).
  scopes: ['channels:read', 'channels:history', 'users:read'],
  scopeParam: 'user_scope',
  scopeParams(scopes) {
    const bot = scopes.filter((s) => s.startsWith(BOT_SCOPE_PREFIX));
    const user = scopes.filter((s) => !s.startsWith(BOT_SCOPE_PREFIX));
    return {
      ...(user.length > 0 ? { user_scope: user.join(',') } : {}),
      ...(bot.length > 0
        ? { scope: bot.map((s) => s.slice(BOT_SCOPE_PREFIX.length)).join(',') }
        : {}),
    };
  },
  scopeSeparator: ',',
  clientAuth: 'body',
  tokenBody: 'form',
  // Slack's OAuth v2 for confidential apps does not use PKCE; the parameters are ignored.
  pkce: false,
  authorizeParams: {},
  headers: {},
  normalizeTokenResponse(res) {
    const answer = SlackAnswerSchema.safeParse(res.body);
    if (!answer.success) return res;
    const failure = slackFailure(res);
    if (failure) return failure;
    // The user token: nested after an install, on top (token_type "user") after a refresh of a
    // rotating token. With token rotation on (an app setting), it is an `xoxe.xoxp-` token that
    // expires (`expires_in`, 12 h) with its own `xoxe-1-` refresh token, refreshed at
    // oauth.v2.access with grant_type=refresh_token; without it, it never expires
    // (https://docs.slack.dev/authentication/using-token-rotation).
    const user = SlackUserTokenSchema.safeParse(
      answer.data.token_type === 'user' ? res.body : answer.data.authed_user,
    );
    if (!user.success) return { status: res.status, body: {} };
    return { status: res.status, body: { ...user.data, token_type: 'bearer' } };
  },
  additionalTokens: {
    // The bot token sits on top of an install's answer (`token_type: "bot"`), and on top of the
    // answer to its own refresh. With token rotation it is an `xoxe.xoxb-` token expiring after
    // 12 h with its own refresh token; each refresh token works once
    // (https://docs.slack.dev/authentication/using-token-rotation).
    bot(res) {
      const failure = slackFailure(res);
      if (failure) return failure;
      const bot = SlackUserTokenSchema.extend({ token_type: z.literal('bot') }).safeParse(res.body);
      if (!bot.success) return null;
      const { token_type: _bot, ...token } = bot.data;
      return { status: res.status, body: { ...token, token_type: 'bearer' } };
    },
  },
  tokenResponse: SlackTokenResponseSchema,
  async identify(tokens, ctx) {
    const me = await fetchIdentity(slack, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: AuthTestSchema,
    });
    const r = tokens.response;
    const teamName = me.team ?? r.team?.name ?? null;
    const metadata: Metadata = {
      providerId: 'slack',
      teamId: me.team_id,
      teamName,
      teamUrl: me.url ?? null,
      userId: me.user_id,
      userName: me.user ?? null,
      enterpriseId: me.enterprise_id ?? r.enterprise?.id ?? null,
      appId: r.app_id ?? null,
    };
    return {
      // Slack user ids are per workspace: the pair is the account.
      accountId: `${me.team_id}:${me.user_id}`,
      label: accountLabel(teamName, me.user, me.team_id),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    const res = await ctx.http.request('slack', {
      method: 'POST',
      url: resolveEndpoint(endpoints.revoke, ctx.config),
      headers: { authorization: `Bearer ${tokens.accessToken}` },
      body: { form: {} },
    });
    const ok = z.looseObject({ ok: z.literal(true) }).safeParse(res.body);
    if (res.status !== 200 || !ok.success) {
      throw new PlugboardError('PROVIDER_ERROR', 'Slack refused to revoke the token.');
    }
  },
});
