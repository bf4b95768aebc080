import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getProvider } from '../catalog';
import { oauth2Mode } from '../modes/oauth2';
import { startMockHarness, type MockHarness } from '../modes/oauth2/mock-harness';
import { SHOPIFY_API_VERSION } from './api-versions';

// Against the mock's Shopify (mocks/providers/src/shopify, written from Shopify's docs).
const shopify = getProvider('shopify');
let mock: MockHarness;
beforeAll(async () => {
  mock = await startMockHarness();
});
afterAll(async () => mock?.close());
beforeEach(async () => mock.reset());

const moveMockClockTo = (at: number) =>
  mock.control('POST', '/clock/advance', { seconds: Math.ceil((at - Date.now()) / 1000) });

describe('Shopify against the mock', () => {
  it('gets an expiring offline token (1 h) with a refresh token, which rotates on refresh', async () => {
    const { credentials, ctx } = await mock.connect(shopify);
    expect(credentials.refreshToken).toMatch(/^shprt_/);
    const lifetime = credentials.expiresAt!.getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3500_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
    const refreshed = await oauth2Mode.refresh(shopify, credentials, ctx);
    expect(refreshed.refreshToken).toMatch(/^shprt_/);
    expect(refreshed.refreshToken).not.toBe(credentials.refreshToken);
    expect(refreshed.expiresAt).not.toBeNull();
  });

  it('records the API version Shopify served, which falls forward when the asked one retired', async () => {
    const fresh = await mock.connect(shopify);
    expect(fresh.account.metadata).toMatchObject({ apiVersion: SHOPIFY_API_VERSION });
    await mock.reset();
    // At the mock's 2027-10-02 the default (2026-10) is past its twelve months: the mock, like
    // Shopify, answers with the oldest supported version and says so in X-Shopify-Api-Version.
    const at = Date.UTC(2027, 9, 2);
    await moveMockClockTo(at);
    const later = await mock.connect(shopify, { now: new Date(at) });
    expect(later.account.metadata).toMatchObject({ apiVersion: '2027-01' });
  });
});
