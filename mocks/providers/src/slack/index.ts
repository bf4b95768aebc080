import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Grant } from '../core/grants';
import { parseBearer, readParams } from '../core/oauth';
import type { Params } from '../core/oauth';
import { definePersonality } from '../core/personality';
import type { CodeData } from '../core/flow';
import { authenticateRequest, codeErrors, redeemCode, registerAuthorize } from '../core/flow';
import { scopeList, tokenHistory } from '../core/flow';
import { faultTable } from '../core/faults';
import { createSlackRotation } from './rotation';
import { registerDataRoutes } from './data';

/** The Slack user who installs the app, and the workspace (team) it lands in. */
export type SlackAccount = {
  userId: string;
  userName: string;
  name: string;
  email: string;
  teamId: string;
  teamName: string;
  teamDomain: string;
};

export const defaultSlackAccount: SlackAccount = {
  userId: 'U0ADA000001',
  userName: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
  teamId: 'T0ACME00001',
  teamName: 'Acme',
  teamDomain: 'acme',
};

const brand = { name: 'Slack', colour: '#4a154b' };

export interface SlackGrantData {
  account: SlackAccount;
  scope: string;
  kind: 'bot' | 'user';
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
}

/** Slack ids: a letter plus upper-case base32-ish characters, stable per app and team. */
function slackId(letter: string, ...parts: string[]): string {
  const hash = Buffer.from(parts.join('\u0000')).reduce((h, b) => (h * 31 + b) >>> 0, 7);
  return `${letter}0${hash.toString(36).toUpperCase().padStart(9, '0')}`;
}

const CODE_ERRORS = codeErrors('invalid_code', {
  missing_redirect_uri: 'bad_redirect_uri',
  redirect_mismatch: 'bad_redirect_uri',
});

/** Slack Web API answers HTTP 200 with `ok: false` for every application-level error. */
const slackError = (reply: FastifyReply, error: string) =>
  reply.status(200).send({ ok: false, error });

/** Web API arguments: query string, form body or JSON body. */
const apiParams = (request: FastifyRequest): Params => ({
  ...readParams(request.query),
  ...readParams(request.body),
});

/**
 * Slack OAuth v2 (slack.com/oauth/v2/authorize, slack.com/api/… under `/slack`). Tokens do not
 * expire unless the app has token rotation on (rotation.ts).
 */
export const slack = definePersonality({
  id: 'slack',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'data'],
  authorizeExample: { params: { scope: 'channels:read' }, responseType: false },
  defaultAccount: defaultSlackAccount,
  faultResponse: faultTable(
    {
      error_500: [500, { ok: false, error: 'internal_error' }],
      rate_limit: [429, { ok: false, error: 'ratelimited' }],
      invalid_grant: [200, { ok: false, error: 'invalid_auth' }],
    },
    { token: { invalid_grant: [200, { ok: false, error: 'invalid_code' }] } },
  ),
  register(router, ctx) {
    // Slack codes expire after ten minutes.
    const codes = ctx.codeStore<CodeData<SlackAccount>>({ ttlSeconds: 600 });
    const storeOptions = {
      accessTokenTtlSeconds: null,
      refreshTokens: false,
      rotateRefreshTokens: false,
    };
    const botTokens = ctx.tokenStore<SlackGrantData>({
      ...storeOptions,
      accessTokenPrefix: 'xoxb-',
    });
    const userTokens = ctx.tokenStore<SlackGrantData>({
      ...storeOptions,
      accessTokenPrefix: 'xoxp-',
    });
    const history = tokenHistory(ctx);
    const rotation = createSlackRotation(ctx);
    registerDataRoutes(router, ctx, {
      find: (token) =>
        (
          botTokens.findByAccessToken(token) ??
          userTokens.findByAccessToken(token) ??
          rotation.findByAccessToken(token)
        )?.data,
      deadReason: (token) => history.deadReason(token),
    });

    registerAuthorize(router, ctx, {
      brand,
      authorizePath: '/oauth/v2/authorize',
      codes,
      // Without redirect_uri Slack uses the app's first configured redirect URL.
      redirectUri: 'first-registered',
      unknownClient: {
        status: 400,
        title: 'Something went wrong',
        message: 'invalid_client_id: this app could not be found.',
      },
      badRedirectUri: {
        status: 400,
        title: 'Something went wrong',
        message: 'redirect_uri did not match any configured URIs.',
      },
      validate: (params) =>
        (params.scope ?? '').trim() === '' && (params.user_scope ?? '').trim() === ''
          ? {
              error: 'invalid_scope',
              description: 'No scopes requested.',
              page: {
                status: 400,
                title: 'Something went wrong',
                message: 'invalid_scope: the app requested no scopes.',
              },
            }
          : undefined,
      // Slack's PKCE support is not relied on; the parameters are ignored (Nango sends them).
      pkce: 'ignore',
      defaultScope: '',
      extras: ['user_scope'],
      consent: (account, scope, extras) => ({
        account: `${account.name} · ${account.email}`,
        details: [
          { label: 'Workspace', value: `${account.teamName} (${account.teamDomain}.slack.com)` },
        ],
        permissions: [
          ...scopeList(scope),
          ...scopeList(extras.user_scope ?? '').map((s) => `${s} (as you)`),
        ],
      }),
    });

    router.post('/api/oauth.v2.access', 'token', async (request, reply) => {
      const params = apiParams(request);
      // Body credentials or HTTP Basic; Slack documents both.
      const auth = authenticateRequest(ctx, request, params, ['body', 'basic']);
      if (!auth.ok) {
        return slackError(
          reply,
          auth.reason === 'bad_secret' ? 'bad_client_secret' : 'invalid_client_id',
        );
      }
      if (params.grant_type === 'refresh_token') {
        const refreshed =
          params.refresh_token === undefined
            ? undefined
            : rotation.refresh(params.refresh_token, auth.client.clientId);
        if (refreshed === undefined) return slackError(reply, 'invalid_refresh_token');
        history.remember(refreshed);
        const d = refreshed.data;
        return {
          ok: true,
          app_id: d.appId,
          access_token: refreshed.accessToken,
          ...rotation.expiring(refreshed),
          token_type: d.kind,
          scope: d.scope,
          ...(d.kind === 'bot' ? { bot_user_id: d.botUserId } : { user_id: d.account.userId }),
          team: { id: d.account.teamId, name: d.account.teamName },
          enterprise: null,
          is_enterprise_install: false,
        };
      }
      if (params.grant_type !== undefined && params.grant_type !== 'authorization_code') {
        return slackError(reply, 'invalid_grant_type');
      }
      const redeemed = redeemCode(codes, params, auth.client, { redirectUri: 'if-sent' });
      if (!redeemed.ok) return slackError(reply, CODE_ERRORS[redeemed.reason]);
      const { account, scope, extras } = redeemed.data;
      const clientId = auth.client.clientId;
      const data = {
        account,
        appId: slackId('A', clientId),
        botUserId: slackId('U', clientId, account.teamId),
        botId: slackId('B', clientId, account.teamId),
        botName: auth.client.name,
      };
      const userScope = scopeList(extras.user_scope ?? '').join(',');
      const botScope = scopeList(scope).join(',');
      const remember = (grant: Grant<SlackGrantData>) => {
        history.remember(grant);
        return grant;
      };
      const rotates = rotation.rotates(clientId);
      const stores = rotates ? rotation.stores : { bot: botTokens, user: userTokens };
      const bot =
        botScope === ''
          ? undefined
          : remember(stores.bot.issue(clientId, { ...data, scope: botScope, kind: 'bot' }));
      const user =
        userScope === ''
          ? undefined
          : remember(stores.user.issue(clientId, { ...data, scope: userScope, kind: 'user' }));
      const extra = (grant: Grant<SlackGrantData>) => (rotates ? rotation.expiring(grant) : {});
      return {
        ok: true,
        app_id: data.appId,
        authed_user: {
          id: account.userId,
          ...(user === undefined
            ? {}
            : {
                scope: userScope,
                access_token: user.accessToken,
                token_type: 'user',
                ...extra(user),
              }),
        },
        ...(bot === undefined
          ? {}
          : {
              scope: botScope,
              token_type: 'bot',
              access_token: bot.accessToken,
              ...extra(bot),
              bot_user_id: data.botUserId,
            }),
        team: { id: account.teamId, name: account.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    });

    /** The token a Web API call carries: Bearer header, or a `token` argument. */
    const callerGrant = (request: FastifyRequest, reply: FastifyReply) => {
      const token = parseBearer(request.headers.authorization) ?? apiParams(request).token;
      if (token === undefined) {
        void slackError(reply, 'not_authed');
        return undefined;
      }
      const grant =
        botTokens.findByAccessToken(token) ??
        userTokens.findByAccessToken(token) ??
        rotation.findByAccessToken(token);
      if (grant === undefined) {
        const reason = history.deadReason(token);
        void slackError(
          reply,
          reason === 'unknown'
            ? 'invalid_auth'
            : reason === 'expired'
              ? 'token_expired'
              : 'token_revoked',
        );
        return undefined;
      }
      return { token, grant };
    };

    /** A Web API method: GET or POST, called with the caller's token (`callerGrant`). */
    const webApiMethod = (
      name: string,
      endpoint: string,
      answer: (
        caller: NonNullable<ReturnType<typeof callerGrant>>,
        request: FastifyRequest,
      ) => unknown,
    ) => {
      for (const method of ['GET', 'POST'] as const) {
        router.route({
          method,
          path: `/api/${name}`,
          endpoint,
          handler: async (request, reply) => {
            const caller = callerGrant(request, reply);
            return caller === undefined ? reply : answer(caller, request);
          },
        });
      }
    };

    webApiMethod('auth.test', 'identity', (caller) => {
      const { data } = caller.grant;
      const base = {
        ok: true,
        url: `https://${data.account.teamDomain}.slack.com/`,
        team: data.account.teamName,
        team_id: data.account.teamId,
      };
      return data.kind === 'bot'
        ? {
            ...base,
            user: data.botName.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
            user_id: data.botUserId,
            bot_id: data.botId,
            is_enterprise_install: false,
          }
        : {
            ...base,
            user: data.account.userName,
            user_id: data.account.userId,
            is_enterprise_install: false,
          };
    });

    webApiMethod('auth.revoke', 'revoke', (caller, request) => {
      // `test` checks the call without revoking anything.
      const test = ['1', 'true'].includes(apiParams(request).test ?? '');
      if (!test) {
        if (!rotation.revoke(caller.token)) {
          (caller.grant.data.kind === 'bot' ? botTokens : userTokens).revoke(caller.token);
        }
      }
      return { ok: true, revoked: !test };
    });
  },
});
