import { z } from 'zod';
import {
  basicAuth,
  defineOAuth2Provider,
  expectRevoked,
  fetchIdentity,
  resolveEndpoint,
} from '../engines/oauth2';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siGithub } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * The token answer of an OAuth App (`gho_`, never expires, scopes) or of a GitHub App: user
 * tokens (`ghu_`) that expire after 8 h with a rotating refresh token (`ghr_`, 6 months) unless
 * the app opted out of expiration, and no scopes — GitHub Apps have permissions instead
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens).
 * Which of the two a connection gets is decided by the GitHub app whose client id is configured;
 * the engine reads expiry and refresh token from the answer, so both work with no setting here.
 * A reused or expired refresh token is `bad_refresh_token` with HTTP 200 (mapped below).
 */
const GitHubTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  scope: z.string().nullish(),
  expires_in: z.number().nullish(),
  refresh_token: z.string().nullish(),
  refresh_token_expires_in: z.number().nullish(),
});

const GitHubUserSchema = z.looseObject({
  id: z.number(),
  login: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  avatar_url: z.string().nullish(),
  html_url: z.string().nullish(),
});

const GitHubEmailsSchema = z.array(
  z.looseObject({ email: z.string(), primary: z.boolean(), verified: z.boolean() }),
);

const GitHubErrorSchema = z.looseObject({ error: z.string() });

/** GitHub's token error codes in RFC 6749 terms. */
const RFC_ERRORS: Record<string, string> = {
  bad_verification_code: 'invalid_grant',
  bad_refresh_token: 'invalid_grant',
  incorrect_client_credentials: 'invalid_client',
};

// OAuth on github.com, the REST API (identity and token deletion) on api.github.com.
const endpoints = {
  authorize: '/login/oauth/authorize',
  token: '/login/oauth/access_token',
  revoke: { liveHost: 'https://api.github.com', path: '/applications/{client_id}/token' },
  identity: { liveHost: 'https://api.github.com', path: '/user' },
} satisfies OAuth2Endpoints;

const API_HEADERS = { 'x-github-api-version': '2022-11-28' };

export const github: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof GitHubTokenResponseSchema>,
  Metadata
>({
  id: 'github',
  name: 'GitHub',
  description: 'Repositories, issues and pull requests.',
  color: '#24292f',
  brand: brandFrom(siGithub),
  liveBaseUrl: 'https://github.com',
  inputs: [],
  endpoints,
  scopes: ['repo', 'read:user', 'user:email'],
  scopeSeparator: ' ',
  clientAuth: 'body',
  tokenBody: 'form',
  pkce: true,
  authorizeParams: {},
  // GitHub refuses API calls without a User-Agent.
  headers: { 'user-agent': 'Plugboard' },
  // The token endpoint answers errors with HTTP 200 and its own codes.
  normalizeTokenResponse(res) {
    const err = GitHubErrorSchema.safeParse(res.body);
    if (!err.success) return res;
    const error = RFC_ERRORS[err.data.error] ?? err.data.error;
    return { status: error === 'invalid_client' ? 401 : 400, body: { ...err.data, error } };
  },
  tokenResponse: GitHubTokenResponseSchema,
  async identify(tokens, ctx) {
    const headers = { ...github.headers, ...API_HEADERS };
    const me = await fetchIdentity(github, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: GitHubUserSchema,
      headers,
    });
    let email = me.email ?? null;
    if (email === null && tokens.scopes.some((s) => s === 'user' || s === 'user:email')) {
      // A private email is only in /user/emails.
      const emails = await fetchIdentity(github, ctx, {
        url: resolveEndpoint(
          { liveHost: 'https://api.github.com', path: '/user/emails' },
          ctx.config,
        ),
        accessToken: tokens.accessToken,
        schema: GitHubEmailsSchema,
        headers,
      });
      email = emails.find((e) => e.primary && e.verified)?.email ?? null;
    }
    const metadata: Metadata = {
      providerId: 'github',
      userId: me.id,
      login: me.login,
      name: me.name ?? null,
      email,
      avatarUrl: me.avatar_url ?? null,
      htmlUrl: me.html_url ?? null,
    };
    // The numeric id survives login renames; the login is what people know.
    return { accountId: String(me.id), label: me.login, metadata };
  },
  async revoke(tokens, ctx) {
    // The app authenticates (Basic id:secret), and names the token to delete in the body.
    const res = await ctx.http.request('github', {
      method: 'DELETE',
      url: resolveEndpoint(endpoints.revoke, ctx.config, { client_id: ctx.config.clientId }),
      headers: { ...github.headers, ...API_HEADERS, authorization: basicAuth(ctx.config) },
      body: { json: { access_token: tokens.accessToken } },
    });
    expectRevoked(github, res);
  },
});
