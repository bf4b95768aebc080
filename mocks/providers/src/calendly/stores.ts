import type { Grant } from '../core/grants';
import type { PkceChallenge } from '../core/oauth';
import type { ProviderContext } from '../core/personality';
import type { CalendlyAccount } from './account';
import type { CalendlyGrantData } from './responses';

/**
 * Calendly access tokens last two hours
 * (https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users).
 */
export const ACCESS_TOKEN_TTL_SECONDS = 7200;

/** An authorize request waiting on the consent page. */
export interface PendingCalendlyConsent {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scope: string;
  pkce: PkceChallenge;
  /** Snapshot of the account the page showed, so Allow grants exactly what the user saw. */
  account: CalendlyAccount;
}

export type CalendlyStores = ReturnType<typeof createCalendlyStores>;

export function createCalendlyStores(ctx: ProviderContext<CalendlyAccount>) {
  // Every access token ever issued → its expiry, so /users/me can tell "expired" from
  // "revoked" from "never existed", which Calendly words differently.
  let issued = new Map<string, number>();
  ctx.onReset(() => {
    issued = new Map();
  });
  return {
    pending: ctx.pendingConsents<PendingCalendlyConsent>(),
    // Documented: "the code expires after 10 minutes".
    codes: ctx.codeStore<{ account: CalendlyAccount; scope: string }>({ ttlSeconds: 600 }),
    tokens: ctx.tokenStore<CalendlyGrantData>({
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokens: true,
      rotateRefreshTokens: true,
    }),
    remember(grant: Grant<CalendlyGrantData>): void {
      issued.set(grant.accessToken, grant.accessTokenExpiresAt ?? Number.POSITIVE_INFINITY);
    },
    /** Why a token that is not live fails: 'expired', 'revoked' (incl. replaced) or 'unknown'. */
    deadReason(token: string): 'expired' | 'revoked' | 'unknown' {
      const expiresAt = issued.get(token);
      if (expiresAt === undefined) return 'unknown';
      return ctx.clock.now() >= expiresAt ? 'expired' : 'revoked';
    },
  };
}
