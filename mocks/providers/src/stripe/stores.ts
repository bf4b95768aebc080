import { randomUUID } from 'node:crypto';
import type { Grant } from '../core/grants';
import type { ProviderContext } from '../core/personality';
import type { StripeAccount } from './account';

export type StripeScope = 'read_only' | 'read_write';

/** An authorize request waiting on the consent page. */
export interface PendingStripeConsent {
  clientId: string;
  redirectUri: string;
  scope: StripeScope;
  state: string | undefined;
  /** Snapshot of the account the page showed, so Allow connects exactly what the user saw. */
  account: StripeAccount;
}

export interface StripeGrantData {
  account: StripeAccount;
  scope: StripeScope;
  /** The platform ↔ account connection this grant belongs to; deauthorize ends it. */
  connectionId: string;
}

export type StripeStores = ReturnType<typeof createStripeStores>;

export function createStripeStores(ctx: ProviderContext<StripeAccount>) {
  // One live connection per platform (client) and connected account. Grants remember the id of
  // the connection they were issued under, so deauthorize kills every token of that connection
  // at once without the token store having to enumerate them.
  let connections = new Map<string, string>();
  // Code → refresh token of the grant it produced: Stripe revokes those tokens when a code is
  // replayed. Stripe refresh tokens do not rotate, so the refresh token names the grant for good.
  let issuedFromCode = new Map<string, string>();
  ctx.onReset(() => {
    connections = new Map();
    issuedFromCode = new Map();
  });
  const key = (clientId: string, accountId: string) => `${clientId}\u0000${accountId}`;
  // Access tokens never expire ("does not expire, but may be revoked"); refresh tokens do not
  // rotate. Prefixes follow test-mode keys (`sk_test_`), as the mock is always test mode.
  const tokens = ctx.tokenStore<StripeGrantData>({
    accessTokenPrefix: 'sk_test_',
    refreshTokenPrefix: 'rt_',
    accessTokenTtlSeconds: null,
    refreshTokens: true,
    rotateRefreshTokens: false,
  });

  return {
    pending: ctx.pendingConsents<PendingStripeConsent>(),
    // Five minutes: the lifetime commonly reported for Stripe codes (not in the docs we have).
    codes: ctx.codeStore<{ account: StripeAccount; scope: StripeScope }>({
      ttlSeconds: 300,
      prefix: 'ac_',
    }),
    tokens,
    /** The current connection id, creating the connection on first use. */
    connect(clientId: string, accountId: string): string {
      const existing = connections.get(key(clientId, accountId));
      if (existing !== undefined) return existing;
      const id = randomUUID();
      connections.set(key(clientId, accountId), id);
      return id;
    },
    /** Ends the connection; false if the account was not connected to this platform. */
    disconnect(clientId: string, accountId: string): boolean {
      return connections.delete(key(clientId, accountId));
    },
    /** Whether the grant's connection still exists (it has not been deauthorized since). */
    isLive(grant: Grant<StripeGrantData>): boolean {
      return (
        connections.get(key(grant.clientId, grant.data.account.accountId)) ===
        grant.data.connectionId
      );
    },
    rememberCode(code: string, refreshToken: string): void {
      issuedFromCode.set(code, refreshToken);
    },
    /** Revokes what a replayed code had produced. */
    revokeIssuedFrom(code: string): void {
      const refreshToken = issuedFromCode.get(code);
      issuedFromCode.delete(code);
      if (refreshToken !== undefined) tokens.revoke(refreshToken);
    },
  };
}
