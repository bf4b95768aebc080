/**
 * The Admin API version a Shopify connection's calls use. Shopify releases a stable version each
 * quarter and supports it for at least 12 months; a call to a version past that is not refused
 * but "falls forward" to the oldest supported stable version, and the `X-Shopify-Api-Version`
 * response header names the version that answered
 * (https://shopify.dev/docs/api/usage/versioning,
 * https://help.shopify.com/en/api/versioning/migration-guide). So Plugboard pins a version per
 * connection (its metadata's `apiVersion`, what Shopify served at connect time), and once that
 * version's support ends moves the connection's calls to the oldest version still supported —
 * what Shopify would serve anyway, but chosen knowingly and the same for every call.
 *
 * A reviewed list, appended each quarter: `supportedUntil` is the release plus the documented
 * 12 months (Shopify may keep a version a few days longer, never shorter).
 */
export const SHOPIFY_API_VERSIONS = [
  { version: '2025-10', supportedUntil: '2026-10-01T17:00:00Z' },
  { version: '2026-01', supportedUntil: '2027-01-01T17:00:00Z' },
  { version: '2026-04', supportedUntil: '2027-04-01T17:00:00Z' },
  { version: '2026-07', supportedUntil: '2027-07-01T17:00:00Z' },
  { version: '2026-10', supportedUntil: '2027-10-01T17:00:00Z' },
] as const;

/** New connections start on the newest stable version Plugboard has been reviewed against. */
export const SHOPIFY_API_VERSION: string = SHOPIFY_API_VERSIONS.at(-1)!.version;

const STABLE = /^\d{4}-(01|04|07|10)$/;

/**
 * The version to call for a connection pinned to `pinned` (null: a connection made before
 * Plugboard recorded one, which used the default): the pinned version while it is supported,
 * else the oldest listed version still supported at `now`. A version newer than the list
 * (Shopify served it: the list is behind) is kept as it is.
 */
export function shopifyApiVersion(pinned: string | null | undefined, now: Date): string {
  const version = pinned && STABLE.test(pinned) ? pinned : SHOPIFY_API_VERSION;
  const listed = SHOPIFY_API_VERSIONS.find((v) => v.version === version);
  const newest = SHOPIFY_API_VERSIONS.at(-1)!;
  if (listed === undefined) return version > newest.version ? version : fallForward(now);
  return now.getTime() < Date.parse(listed.supportedUntil) ? version : fallForward(now);
}

function fallForward(now: Date): string {
  const supported = SHOPIFY_API_VERSIONS.find((v) => now.getTime() < Date.parse(v.supportedUntil));
  // Every listed version retired: the list is behind Shopify; the newest is the best guess.
  return (supported ?? SHOPIFY_API_VERSIONS.at(-1)!).version;
}

/** The version Shopify says answered (`X-Shopify-Api-Version`), when it is a stable one. */
export function servedApiVersion(headers: Headers): string | null {
  const served = headers.get('x-shopify-api-version');
  return served !== null && STABLE.test(served) ? served : null;
}
