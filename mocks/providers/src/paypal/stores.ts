import type { ProviderContext } from '../core/personality';
import type { PayPalAccount } from './account';

export const PAYPALATTRIBUTES = 'https://uri.paypal.com/services/paypalattributes';

/** An authorize request waiting on the consent page. */
export interface PendingPayPalConsent {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  /** The OIDC `nonce` parameter, repeated in the id_token. */
  nonce: string | undefined;
  account: PayPalAccount;
}

export interface PayPalGrantData {
  account: PayPalAccount;
  scopes: string[];
}

/** Eight hours, one of the values PayPal is seen to send (900, 28800, 32400 s). */
export const ACCESS_TOKEN_TTL = 28_800;

export type PayPalStores = ReturnType<typeof createPayPalStores>;

export function createPayPalStores(ctx: ProviderContext<PayPalAccount>) {
  return {
    pending: ctx.pendingConsents<PendingPayPalConsent>(),
    // "Very short-lived — exchange immediately": five minutes here.
    codes: ctx.codeStore<{
      scopes: string[];
      nonce: string | undefined;
      authTime: number;
      account: PayPalAccount;
    }>({ ttlSeconds: 300 }),
    // Refresh tokens are long-lived (ten years) and do not rotate: a refresh only mints a new
    // access token. `A21AA` is the prefix PayPal access tokens carry.
    tokens: ctx.tokenStore<PayPalGrantData>({
      accessTokenPrefix: 'A21AA',
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL,
      refreshTokens: true,
      rotateRefreshTokens: false,
    }),
  };
}
