import { appSwitch } from '../core/app-switch';
import type { ProviderContext } from '../core/personality';
import type { GitHubAccount } from './index';

/**
 * GitHub App user access tokens, beside the OAuth App's (index.ts). With "expire user
 * authorization tokens" on (the default for new GitHub Apps), a user token (`ghu_`) lives 8 h
 * (`expires_in: 28800`) and comes with a refresh token (`ghr_`, 6 months:
 * `refresh_token_expires_in: 15897600`); refreshing (`grant_type=refresh_token` at the token
 * endpoint) returns a new pair, after which the used refresh token and the old user token no
 * longer work
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens).
 * With it off, user tokens never expire and have no refresh token. GitHub Apps have no OAuth
 * scopes: the granted `scope` is empty.
 *
 * Which clients are GitHub Apps is mock state: `POST /__control/github/apps { clientId,
 * expiringUserTokens?: true }`; every other client is an OAuth App.
 */
export const USER_TOKEN_TTL = 28_800;
export const REFRESH_TOKEN_TTL = 15_897_600;

export interface AppGrantData {
  account: GitHubAccount;
  scope: string;
}

export type GitHubApps = ReturnType<typeof createGitHubApps>;

export function createGitHubApps(ctx: ProviderContext<GitHubAccount>) {
  const apps = appSwitch(ctx, 'expiringUserTokens', { kind: 'github_app' });
  let refreshExpiresAt = new Map<string, number>();
  ctx.onReset(() => {
    refreshExpiresAt = new Map();
  });
  const expiring = ctx.tokenStore<AppGrantData>({
    accessTokenPrefix: 'ghu_',
    refreshTokenPrefix: 'ghr_',
    accessTokenTtlSeconds: USER_TOKEN_TTL,
    refreshTokens: true,
    rotateRefreshTokens: true,
  });
  const nonExpiring = ctx.tokenStore<AppGrantData>({
    accessTokenPrefix: 'ghu_',
    accessTokenTtlSeconds: null,
    refreshTokens: false,
    rotateRefreshTokens: false,
  });

  const answer = (grant: {
    accessToken: string;
    refreshToken: string | null;
  }): Record<string, string | number> =>
    grant.refreshToken === null
      ? { access_token: grant.accessToken, scope: '', token_type: 'bearer' }
      : {
          access_token: grant.accessToken,
          expires_in: USER_TOKEN_TTL,
          refresh_token: grant.refreshToken,
          refresh_token_expires_in: REFRESH_TOKEN_TTL,
          scope: '',
          token_type: 'bearer',
        };

  return {
    isApp: apps.known,

    /** The code exchange's answer for a GitHub App. */
    issue(clientId: string, data: AppGrantData) {
      if (!apps.on(clientId)) {
        return answer(nonExpiring.issue(clientId, data));
      }
      const grant = expiring.issue(clientId, data);
      refreshExpiresAt.set(grant.refreshToken!, ctx.clock.now() + REFRESH_TOKEN_TTL * 1000);
      return answer(grant);
    },

    /** A refresh's answer, or undefined for GitHub's `bad_refresh_token`. */
    refresh(refreshToken: string, clientId: string) {
      const expiresAt = refreshExpiresAt.get(refreshToken);
      if (expiresAt === undefined || ctx.clock.now() >= expiresAt) return undefined;
      const refreshed = expiring.refresh(refreshToken, clientId);
      if (!refreshed.ok) return undefined;
      const next = refreshed.grant.refreshToken!;
      if (next !== refreshToken) {
        refreshExpiresAt.delete(refreshToken);
        refreshExpiresAt.set(next, ctx.clock.now() + REFRESH_TOKEN_TTL * 1000);
      }
      return answer(refreshed.grant);
    },

    findByAccessToken: (token: string) =>
      expiring.findByAccessToken(token) ?? nonExpiring.findByAccessToken(token),

    revoke: (token: string) => expiring.revoke(token) || nonExpiring.revoke(token),
  };
}
