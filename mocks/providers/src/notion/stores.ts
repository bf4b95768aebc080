import type { ProviderContext } from '../core/personality';
import type { NotionAccount } from './account';
import type { NotionGrantData } from './responses';

/** An authorize request waiting on the consent page. */
export interface PendingNotionConsent {
  clientId: string;
  redirectUri: string;
  /** Whether authorize named redirect_uri: then the token request must repeat it. */
  redirectUriSent: boolean;
  state: string | undefined;
  /** Snapshot of the account the page showed, so Allow grants exactly what the user saw. */
  account: NotionAccount;
}

export type NotionStores = ReturnType<typeof createNotionStores>;

export function createNotionStores(ctx: ProviderContext<NotionAccount>) {
  return {
    pending: ctx.pendingConsents<PendingNotionConsent>(),
    // Ten minutes, like most providers; Notion does not document its code lifetime.
    codes: ctx.codeStore<{ account: NotionAccount }>({ ttlSeconds: 600 }),
    tokens: ctx.tokenStore<NotionGrantData>({
      accessTokenPrefix: 'ntn_',
      refreshTokenPrefix: 'nrt_',
      accessTokenTtlSeconds: null,
      refreshTokens: true,
      rotateRefreshTokens: true,
    }),
  };
}
