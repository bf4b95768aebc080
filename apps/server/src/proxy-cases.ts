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
  connect: { inputs?: Record<string, string> } | { apiKey: Record<string, string> };
  /** The path below the connection (the provider's own, with its query), method and JSON body. */
  call: { method?: 'GET' | 'POST'; path: string; json?: unknown };
  /** The mock endpoint name the call is logged and faulted under (default `data`). */
  endpoint?: string;
  check: (body: unknown) => void;
  /** A refresh token exists, so a 401 refreshes at the provider's token endpoint. */
  refreshable: boolean;
  /**
   * How the provider refuses a dead token when it is not with HTTP 401 (Slack's 200
   * `ok: false`, Linear's GraphQL 400): the proxy passes that through and cannot refresh on it.
   */
  authFailureStatus?: number;
  /**
   * The headers the provider's own 429 carries instead of Retry-After (Calendly's X-RateLimit-*,
   * mocks/providers/src/calendly/rate-limit.ts), for a `rate_limit` fault of `retryAfterSeconds: 17`:
   * the proxy passes them through and derives Retry-After from X-RateLimit-Reset.
   */
  rateLimitHeaders?: Record<string, string>;
}

const calendlyUser = 'https://api.calendly.com/users/c41e0d1a-0ada-4c0d-9e1a-ca1000000001';

export const PROXY_CASES: readonly ProxyCase[] = [
  {
    id: 'calendly',
    mockId: 'calendly',
    connect: {},
    call: { path: `event_types?user=${encodeURIComponent(calendlyUser)}` },
    check: (b) =>
      expect(b).toMatchObject({ collection: [{ name: '30 Minute Meeting', duration: 30 }] }),
    refreshable: true,
    rateLimitHeaders: {
      'x-ratelimit-limit': '8',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '17',
    },
  },
  {
    id: 'github',
    mockId: 'github',
    connect: {},
    call: { path: 'user/repos?per_page=5' },
    check: (b) => expect(b).toMatchObject([{ full_name: 'ada-lovelace/analytical-engine' }]),
    refreshable: false,
  },
  {
    id: 'google-drive',
    mockId: 'google-drive',
    connect: {},
    call: { path: 'drive/v3/files?pageSize=10' },
    check: (b) =>
      expect(b).toMatchObject({
        kind: 'drive#fileList',
        files: expect.arrayContaining([expect.objectContaining({ name: 'Engine notes' })]),
      }),
    refreshable: true,
  },
  {
    id: 'hubspot',
    mockId: 'hubspot',
    connect: {},
    call: { path: 'crm/v3/objects/contacts?limit=10' },
    check: (b) => expect(b).toMatchObject({ results: [{ properties: { firstname: 'Charles' } }] }),
    refreshable: true,
  },
  {
    id: 'linear',
    mockId: 'linear',
    connect: {},
    call: { method: 'POST', path: 'graphql', json: { query: '{ viewer { id name email } }' } },
    endpoint: 'identity',
    check: (b) => expect(b).toMatchObject({ data: { viewer: { id: expect.any(String) } } }),
    refreshable: true,
    authFailureStatus: 400,
  },
  {
    id: 'notion',
    mockId: 'notion',
    connect: {},
    call: { method: 'POST', path: 'v1/search', json: { query: 'road' } },
    check: (b) =>
      expect(b).toMatchObject({ object: 'list', results: [{ object: 'page' }], has_more: false }),
    refreshable: true,
  },
  {
    id: 'notion-internal',
    mockId: 'notion',
    connect: { apiKey: { token: 'ntn_devPlugboardMockInternalIntegration0001' } },
    call: { method: 'POST', path: 'v1/search', json: {} },
    check: (b) =>
      expect(b).toMatchObject({
        object: 'list',
        results: expect.arrayContaining([expect.objectContaining({ object: 'page' })]),
      }),
    refreshable: false,
  },
  {
    id: 'paypal',
    mockId: 'paypal',
    connect: {},
    call: { path: 'v1/identity/openidconnect/userinfo?schema=openid' },
    check: (b) =>
      expect(b).toMatchObject({ user_id: expect.any(String), email: expect.any(String) }),
    refreshable: true,
  },
  {
    id: 'salesforce',
    mockId: 'salesforce',
    connect: {},
    call: { path: 'services/data/v62.0/sobjects' },
    check: (b) =>
      expect(b).toMatchObject({
        encoding: 'UTF-8',
        sobjects: expect.arrayContaining([expect.objectContaining({ name: 'Account' })]),
      }),
    refreshable: true,
  },
  {
    id: 'shopify',
    mockId: 'shopify',
    connect: { inputs: { shop: 'acme-store.myshopify.com' } },
    call: { path: 'admin/api/2025-10/products.json?limit=5' },
    check: (b) => expect(b).toMatchObject({ products: [{ title: 'Plugboard Tee' }] }),
    refreshable: true,
  },
  {
    id: 'shopify-custom-app',
    mockId: 'shopify',
    connect: {
      apiKey: {
        shop: 'plugboard-dev.myshopify.com',
        accessToken: 'shpat_devPlugboardMockCustomApp0001',
      },
    },
    call: { path: 'admin/api/2025-10/products.json' },
    check: (b) =>
      expect(b).toMatchObject({ products: [{ vendor: 'plugboard-dev.myshopify.com' }] }),
    refreshable: false,
  },
  {
    id: 'slack',
    mockId: 'slack',
    connect: {},
    call: { path: 'api/conversations.list?limit=20' },
    check: (b) => expect(b).toMatchObject({ ok: true, channels: [{ name: 'general' }] }),
    refreshable: false,
    authFailureStatus: 200,
  },
  {
    id: 'stripe',
    mockId: 'stripe',
    connect: {},
    call: { path: 'v1/balance' },
    check: (b) => expect(b).toMatchObject({ object: 'balance', available: [{ currency: 'usd' }] }),
    refreshable: true,
  },
  {
    id: 'stripe-restricted',
    mockId: 'stripe',
    connect: { apiKey: { apiKey: 'rk_test_devPlugboardMockRestrictedKey0001' } },
    call: { path: 'v1/balance' },
    check: (b) => expect(b).toMatchObject({ object: 'balance' }),
    refreshable: false,
  },
  {
    id: 'telegram-bot',
    mockId: 'telegram',
    connect: { apiKey: { botToken: '1000000001:AAdevPlugboardMockBotToken00000000001' } },
    call: { path: 'getUpdates?timeout=0' },
    check: (b) => expect(b).toEqual({ ok: true, result: [] }),
    refreshable: false,
  },
  {
    id: 'zoom',
    mockId: 'zoom',
    connect: {},
    call: { path: 'v2/users/me/meetings?type=scheduled' },
    check: (b) => expect(b).toMatchObject({ meetings: [{ topic: 'Weekly sync' }] }),
    refreshable: true,
  },
];
