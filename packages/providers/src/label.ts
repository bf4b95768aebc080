/**
 * A connection label a person recognises: "Acme Analytics (ada@acme.example)", or whichever
 * part the provider returned, or the fallback when it returned neither.
 */
export function accountLabel(
  primary: string | null | undefined,
  detail: string | null | undefined,
  fallback: string,
): string {
  if (primary && detail && primary !== detail) return `${primary} (${detail})`;
  return primary || detail || fallback;
}

/** The last path segment of an id that a provider hands out as a URL (PayPal, Calendly). */
export function lastSegment(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? url;
}
