import type { ProviderId } from '@plugboard/contracts';
import { expect } from 'vitest';

/**
 * One provider's case for proxy.integration.test.ts: how to connect the mock's default account
 * and a realistic data call to its mock (mocks/providers/src/<id>/data.ts) with what it answers.
 */
export interface ProxyCase {
  id: ProviderId;
  /** The mock personality serving it (API-key providers share their OAuth sibling's). */
  mockId: string;
  connect:
    { inputs?: Record<string, string> } | { apiKey: (mockUrl: string) => Record<string, string> };
  /** The path below the connection (the provider's own), method and JSON body. */
  call: { method?: 'GET' | 'POST'; path: string; json?: unknown };
  check: (body: unknown) => void;
  /** Whether a 401 can be answered by refreshing (an OAuth grant with a refresh token). */
  refreshable: boolean;
}

export const PROXY_CASES: readonly ProxyCase[] = [
  {
    id: 'notion',
    mockId: 'notion',
    connect: {},
    call: { method: 'POST', path: 'v1/search', json: { query: 'road' } },
    check: (body) =>
      expect(body).toMatchObject({
        object: 'list',
        results: [{ object: 'page' }],
        has_more: false,
      }),
    refreshable: true,
  },
];
