import { appSwitch } from '../core/app-switch';
import type { Grant, TokenStore } from '../core/grants';
import type { ProviderContext } from '../core/personality';
import type { SlackAccount, SlackGrantData } from './index';

/**
 * Slack token rotation (https://docs.slack.dev/authentication/using-token-rotation), opt-in per
 * app (`POST /__control/slack/apps { clientId, tokenRotation: true }`). With it on, the bot and
 * the user token of an install are each an expiring access token (`xoxe.xoxb-…` /
 * `xoxe.xoxp-…`, 12 hours) with its own refresh token (`xoxe-1-…`); `oauth.v2.access` with
 * `grant_type=refresh_token` swaps one refresh token for a new pair and revokes the used one.
 * Without it, tokens never expire and there is nothing to refresh.
 */
export const ROTATING_TOKEN_TTL = 43_200;

export function createSlackRotation(ctx: ProviderContext<SlackAccount>) {
  const rotation = appSwitch(ctx, 'tokenRotation');
  const store = (prefix: string): TokenStore<SlackGrantData> =>
    ctx.tokenStore<SlackGrantData>({
      accessTokenPrefix: prefix,
      refreshTokenPrefix: 'xoxe-1-',
      accessTokenTtlSeconds: ROTATING_TOKEN_TTL,
      refreshTokens: true,
      rotateRefreshTokens: true,
    });
  const bot = store('xoxe.xoxb-1-');
  const user = store('xoxe.xoxp-1-');

  /** The fields a rotating token adds beside its access token. */
  const expiring = (grant: Grant<SlackGrantData>) => ({
    refresh_token: grant.refreshToken!,
    expires_in: ROTATING_TOKEN_TTL,
  });

  return {
    rotates: rotation.on,
    stores: { bot, user },
    expiring,
    /** The refreshed grant behind a refresh token of either kind, or undefined. */
    refresh(refreshToken: string, clientId: string): Grant<SlackGrantData> | undefined {
      for (const tokens of [bot, user]) {
        const refreshed = tokens.refresh(refreshToken, clientId);
        if (refreshed.ok) return refreshed.grant;
        if (refreshed.reason === 'wrong_client') return undefined;
      }
      return undefined;
    },
    findByAccessToken: (token: string) =>
      bot.findByAccessToken(token) ?? user.findByAccessToken(token),
    revoke: (token: string) => bot.revoke(token) || user.revoke(token),
  };
}
