import type { Grant } from '../core/grants';
import type { CodeData } from '../core/flow';
import type { ProviderContext } from '../core/personality';
import type { ZoomAccount } from './account';
import type { ZoomGrantData } from './responses';

export type ZoomStores = ReturnType<typeof createZoomStores>;

export function createZoomStores(ctx: ProviderContext<ZoomAccount>) {
  // Access token → expiry, to tell "expired" (Zoom says so) from unknown/revoked.
  let issued = new Map<string, number>();
  // client + user → a live token of the newest grant, so re-authorising can end the old one.
  let latestGrant = new Map<string, string>();
  ctx.onReset(() => {
    issued = new Map();
    latestGrant = new Map();
  });
  const userKey = (grant: Grant<ZoomGrantData>) =>
    `${grant.clientId}\u0000${grant.data.account.id}`;
  const tokens = ctx.tokenStore<ZoomGrantData>({
    // One hour; the response says 3599 like the real one.
    accessTokenTtlSeconds: 3600,
    refreshTokens: true,
    rotateRefreshTokens: true,
  });
  return {
    // Zoom codes last five minutes and are single use
    // (https://developers.zoom.us/docs/integrations/oauth/).
    codes: ctx.codeStore<CodeData<ZoomAccount>>({ ttlSeconds: 300 }),
    tokens,
    /** Records a grant's tokens; when `reauthorised`, ends the user's previous grant (re-auth). */
    remember(grant: Grant<ZoomGrantData>, opts: { reauthorised: boolean }): void {
      const key = userKey(grant);
      const previous = latestGrant.get(key);
      if (opts.reauthorised && previous !== undefined) tokens.revoke(previous);
      latestGrant.set(key, grant.refreshToken ?? grant.accessToken);
      issued.set(grant.accessToken, grant.accessTokenExpiresAt ?? Number.POSITIVE_INFINITY);
    },
    isExpired(token: string): boolean {
      const expiresAt = issued.get(token);
      return expiresAt !== undefined && ctx.clock.now() >= expiresAt;
    },
  };
}
