import type { CodeData } from '../core/flow';
import { tokenHistory } from '../core/flow';
import type { ProviderContext } from '../core/personality';
import type { CalendlyAccount } from './account';
import type { CalendlyGrantData } from './responses';

/**
 * Calendly access tokens last two hours
 * (https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users).
 */
export const ACCESS_TOKEN_TTL_SECONDS = 7200;

export type CalendlyStores = ReturnType<typeof createCalendlyStores>;

export function createCalendlyStores(ctx: ProviderContext<CalendlyAccount>) {
  return {
    // Documented: "the code expires after 10 minutes".
    codes: ctx.codeStore<CodeData<CalendlyAccount>>({ ttlSeconds: 600 }),
    tokens: ctx.tokenStore<CalendlyGrantData>({
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokens: true,
      rotateRefreshTokens: true,
    }),
    // Every access token ever issued → its expiry, so /users/me can tell "expired" from
    // "revoked" from "never existed", which Calendly words differently.
    ...tokenHistory(ctx),
  };
}
