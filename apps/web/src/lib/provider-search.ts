import type { ProviderSummary } from '@plugboard/contracts';

/** Lower case without accents, so "zoom" finds "Zoom" and "cafe" finds "Café". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * The providers whose name, id or description holds every word of the query, in their order.
 * A name match ranks first, so "s" lists Shopify, Slack, Stripe, Salesforce before the rest.
 */
export function filterProviders(providers: ProviderSummary[], query: string): ProviderSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return providers;
  const haystack = (p: ProviderSummary) => fold(`${p.name} ${p.id} ${p.description}`);
  const matches = providers.filter((p) => words.every((w) => haystack(p).includes(w)));
  const byName = (p: ProviderSummary) => words.every((w) => fold(p.name).includes(w));
  return [...matches.filter(byName), ...matches.filter((p) => !byName(p))];
}

export function providerCount(n: number): string {
  return n === 1 ? '1 provider' : `${n} providers`;
}
