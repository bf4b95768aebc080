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
 * `describe` gives the description as shown (in the UI's language), which is searched too.
 */
export function filterProviders(
  providers: ProviderSummary[],
  query: string,
  describe: (p: ProviderSummary) => string = (p) => p.description,
): ProviderSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return providers;
  const haystack = (p: ProviderSummary) =>
    fold(`${p.name} ${p.id} ${describe(p)} ${p.description}`);
  const matches = providers.filter((p) => words.every((w) => haystack(p).includes(w)));
  const byName = (p: ProviderSummary) => words.every((w) => fold(p.name).includes(w));
  return [...matches.filter(byName), ...matches.filter((p) => !byName(p))];
}
