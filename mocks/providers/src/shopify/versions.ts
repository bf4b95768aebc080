/**
 * Shopify's Admin API release calendar, as the mock serves it
 * (https://shopify.dev/docs/api/usage/versioning): a stable version every quarter, named
 * `YYYY-MM` for January, April, July and October, released on the 1st at 17:00 UTC and supported
 * for (at least) 12 months — the mock retires each one exactly 12 months after its release. A
 * request for a version that is no longer supported is not refused: Shopify "falls forward" and
 * serves the oldest supported stable version, and the `X-Shopify-Api-Version` response header
 * says which version answered (https://help.shopify.com/en/api/versioning/migration-guide, "Log
 * for API response headers"). `unstable` is always served; the next quarter's version is the
 * release candidate and served too. A version further ahead does not exist yet: 404 (the mock's
 * choice — Shopify does not document it).
 */
const FORMAT = /^(\d{4})-(01|04|07|10)$/;

const releaseOf = (year: number, month: number) => Date.UTC(year, month - 1, 1, 17);
const name = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/** The version that answers a request for `requested` at mock time `now`, or undefined (404). */
export function servedVersion(requested: string, now: number): string | undefined {
  if (requested === 'unstable') return requested;
  const match = FORMAT.exec(requested);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const release = releaseOf(year, month);
  // The release candidate: at most one quarter ahead of the newest released version.
  if (release > now) return release - now <= 92 * 86_400_000 ? requested : undefined;
  if (releaseOf(year + 1, month) > now) return requested;
  // Retired: the oldest version still inside its 12 months.
  let [y, m] = [year, month];
  while (releaseOf(y + 1, m) <= now) [y, m] = m === 10 ? [y + 1, 1] : [y, m + 3];
  return name(y, m);
}
