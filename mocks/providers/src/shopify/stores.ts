import { randomUUID } from 'node:crypto';
import type { Grant } from '../core/grants';
import type { ProviderContext } from '../core/personality';
import type { ShopifyAccount } from './account';

/** An install request waiting on the consent page. */
export interface PendingShopifyConsent {
  clientId: string;
  shop: string;
  redirectUri: string;
  scopes: string[];
  /** `grant_options[]=per-user`: an online token for the signed-in staff user. */
  online: boolean;
  state: string | undefined;
  account: ShopifyAccount;
}

export interface ShopifyGrantData {
  shop: string;
  scopes: string[];
  account: ShopifyAccount;
  /** The app installation this token belongs to; uninstall ends it and every token with it. */
  installId: string;
}

export const ACCESS_TOKEN_TTL = 3600;
export const ONLINE_TOKEN_TTL = 86_400;
/** Not documented; 30 days is the value shopify-api-js uses in its fixtures. */
export const REFRESH_TOKEN_TTL = 2_592_000;

export type ShopifyStores = ReturnType<typeof createShopifyStores>;

/**
 * Public apps created on or after 2026-04-01 must use expiring offline tokens, older ones from
 * 2027-01-01, when the remaining non-expiring tokens stop working
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens,
 * https://shopify.dev/docs/apps/build/authentication-authorization/migrate-to-expiring-offline-access-tokens).
 */
export const EXPIRING_REQUIRED_FOR_APPS_CREATED_FROM = Date.UTC(2026, 3, 1);
export const NON_EXPIRING_TOKENS_END = Date.UTC(2027, 0, 1);

export function createShopifyStores(ctx: ProviderContext<ShopifyAccount>) {
  let installs = new Map<string, string>();
  // Refresh tokens expire (refresh_token_expires_in); the token store does not track that.
  let refreshExpiresAt = new Map<string, number>();
  // Shopify keeps a rotated-out refresh token usable until its replacement is first used
  // (changelog 2026-08-28), so a client that lost a refresh response can retry.
  let replacementOf = new Map<string, string>();
  let predecessorOf = new Map<string, string>();
  // When each app was created (`POST /__control/shopify/apps`); unlisted apps are new apps.
  let appCreatedAt = new Map<string, number>();
  ctx.onReset(() => {
    appCreatedAt = new Map();
    installs = new Map();
    refreshExpiresAt = new Map();
    replacementOf = new Map();
    predecessorOf = new Map();
  });
  const key = (shop: string, clientId: string) => `${shop.toLowerCase()}\u0000${clientId}`;

  const expiring = ctx.tokenStore<ShopifyGrantData>({
    accessTokenPrefix: 'shpat_',
    refreshTokenPrefix: 'shprt_',
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL,
    refreshTokens: true,
    rotateRefreshTokens: true,
  });
  const nonExpiring = ctx.tokenStore<ShopifyGrantData>({
    accessTokenPrefix: 'shpat_',
    accessTokenTtlSeconds: null,
    refreshTokens: false,
    rotateRefreshTokens: false,
  });
  const online = ctx.tokenStore<ShopifyGrantData>({
    accessTokenPrefix: 'shpua_',
    accessTokenTtlSeconds: ONLINE_TOKEN_TTL,
    refreshTokens: false,
    rotateRefreshTokens: false,
  });

  const isLive = (grant: Grant<ShopifyGrantData>) =>
    installs.get(key(grant.data.shop, grant.clientId)) === grant.data.installId;
  const nonExpiringEnded = () => ctx.clock.now() >= NON_EXPIRING_TOKENS_END;

  return {
    pending: ctx.pendingConsents<PendingShopifyConsent>(),
    // Ten minutes; Shopify documents only that codes are single use.
    codes: ctx.codeStore<{
      shop: string;
      scopes: string[];
      online: boolean;
      account: ShopifyAccount;
    }>({ ttlSeconds: 600 }),
    expiring,
    nonExpiring,
    online,

    /** Records when an app was created (an app created before 2026-04-01 is a legacy app). */
    setAppCreatedAt(clientId: string, at: number): void {
      appCreatedAt.set(clientId, at);
    },
    /** Whether this app may still get a non-expiring offline token. */
    mayUseNonExpiring(clientId: string): boolean {
      const created = appCreatedAt.get(clientId) ?? ctx.clock.now();
      return created < EXPIRING_REQUIRED_FOR_APPS_CREATED_FROM && !nonExpiringEnded();
    },

    /** The installation of this app on this shop, created by the first token exchange. */
    install(shop: string, clientId: string): string {
      const existing = installs.get(key(shop, clientId));
      if (existing !== undefined) return existing;
      const id = randomUUID();
      installs.set(key(shop, clientId), id);
      return id;
    },
    uninstall(shop: string, clientId: string): void {
      installs.delete(key(shop, clientId));
    },

    /** The live grant behind an API access token, only on the shop it was issued for. */
    findAccess(token: string, shop: string): Grant<ShopifyGrantData> | undefined {
      const grant =
        expiring.findByAccessToken(token) ??
        (nonExpiringEnded() ? undefined : nonExpiring.findByAccessToken(token)) ??
        online.findByAccessToken(token);
      if (grant === undefined || grant.data.shop !== shop || !isLive(grant)) return undefined;
      return grant;
    },

    startRefreshClock(refreshToken: string): void {
      refreshExpiresAt.set(refreshToken, ctx.clock.now() + REFRESH_TOKEN_TTL * 1000);
    },

    /**
     * Refreshes with rotation. `presented` may be the current refresh token or, until the
     * current one is first used, the one it replaced. Undefined when refused.
     */
    refresh(
      presented: string,
      clientId: string,
      shop: string,
    ): Grant<ShopifyGrantData> | undefined {
      const expiresAt = refreshExpiresAt.get(presented);
      if (expiresAt === undefined || ctx.clock.now() >= expiresAt) return undefined;
      const replacement = replacementOf.get(presented);
      const current = replacement ?? presented;
      const grant = expiring.findByAnyToken(current);
      if (
        grant === undefined ||
        grant.refreshToken !== current ||
        grant.clientId !== clientId ||
        grant.data.shop !== shop ||
        !isLive(grant)
      ) {
        return undefined;
      }
      const refreshed = expiring.refresh(current, clientId);
      if (!refreshed.ok || refreshed.grant.refreshToken === null) return undefined;
      // Using the current token ends its predecessor's grace; retrying with the predecessor
      // burns the never-used replacement. Either way `presented` now precedes the new token.
      const predecessor = predecessorOf.get(current);
      if (predecessor !== undefined && predecessor !== presented) {
        replacementOf.delete(predecessor);
        refreshExpiresAt.delete(predecessor);
      }
      predecessorOf.delete(current);
      replacementOf.delete(presented);
      if (current !== presented) refreshExpiresAt.delete(current);
      const next = refreshed.grant.refreshToken;
      replacementOf.set(presented, next);
      predecessorOf.set(next, presented);
      refreshExpiresAt.set(next, ctx.clock.now() + REFRESH_TOKEN_TTL * 1000);
      return refreshed.grant;
    },
  };
}
