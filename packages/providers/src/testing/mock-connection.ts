import type { ProviderId } from '@plugboard/contracts';

/**
 * What connecting a provider's mock default account yields (mocks/providers/README.md lists the
 * accounts), written in the provider folder as `mock-connection.ts`. The tests that iterate
 * providers (apps/server/src/providers.integration.test.ts, apps/web/e2e/connect-oauth.e2e.ts)
 * take every folder that has one, so a new provider is covered with no test edit.
 */
export interface MockConnection {
  id: ProviderId;
  /** The connection's label as the Connect UI shows it after the provider's name. */
  label: string;
  accountId: string;
  /** The connection's metadata besides `providerId`; the mock's URL for fields that hold it. */
  metadata: (mockUrl: string) => Record<string, unknown>;
  /** A call to the mock's identity endpoint that succeeds only with a live access token. */
  identity: {
    path: string;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    /** A JSON body (a GraphQL query, say). */
    json?: unknown;
  };
  /** `rotating`: a refresh replaces the refresh token and the old one dies; `stable`: it stays. */
  refresh: 'rotating' | 'stable' | 'none';
}
