import { describe, expect, it } from 'vitest';
import { SHOPIFY_API_VERSION, servedApiVersion, shopifyApiVersion } from './api-versions';

const at = (iso: string) => new Date(iso);

describe('the Admin API version a connection calls', () => {
  it('stays on the pinned version while Shopify supports it', () => {
    expect(shopifyApiVersion('2026-04', at('2026-12-02T00:00:00Z'))).toBe('2026-04');
    expect(shopifyApiVersion('2026-01', at('2027-01-01T16:59:59Z'))).toBe('2026-01');
  });

  it('falls forward to the oldest supported version once the pinned one retires', () => {
    // 2025-10's twelve months ended on 2026-10-01: Shopify serves 2026-01 in its place.
    expect(shopifyApiVersion('2025-10', at('2026-12-02T00:00:00Z'))).toBe('2026-01');
    expect(shopifyApiVersion('2026-01', at('2027-01-01T17:00:00Z'))).toBe('2026-04');
    // A version older than the list is retired too.
    expect(shopifyApiVersion('2024-07', at('2026-12-02T00:00:00Z'))).toBe('2026-01');
  });

  it('uses the default for connections that recorded none, and keeps a newer served one', () => {
    expect(shopifyApiVersion(undefined, at('2026-12-02T00:00:00Z'))).toBe(SHOPIFY_API_VERSION);
    expect(shopifyApiVersion('nonsense', at('2026-12-02T00:00:00Z'))).toBe(SHOPIFY_API_VERSION);
    expect(shopifyApiVersion('2027-04', at('2027-05-01T00:00:00Z'))).toBe('2027-04');
    // Everything listed retired: the newest listed is the best guess left.
    expect(shopifyApiVersion('2026-10', at('2028-06-01T00:00:00Z'))).toBe(SHOPIFY_API_VERSION);
  });

  it('reads the served version from X-Shopify-Api-Version, stable versions only', () => {
    expect(servedApiVersion(new Headers({ 'x-shopify-api-version': '2026-01' }))).toBe('2026-01');
    expect(servedApiVersion(new Headers({ 'x-shopify-api-version': 'unstable' }))).toBeNull();
    expect(servedApiVersion(new Headers())).toBeNull();
  });
});
