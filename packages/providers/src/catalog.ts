import { PlugboardError, ProviderIdSchema, type ProviderId } from '@plugboard/contracts';
import { registerProviderName } from './http';
import { notion } from './notion';
import type { CatalogEntry, ComingSoonProvider, ProviderDefinition } from './types';

const soon = (
  id: ProviderId,
  name: string,
  description: string,
  color: string,
  liveBaseUrl: string,
  authMode: 'oauth2' | 'telegram' = 'oauth2',
): ComingSoonProvider => ({
  id,
  name,
  description,
  color,
  liveBaseUrl,
  authMode,
  inputs: [],
  comingSoon: true,
});

/** Every provider, in display order. Adding one: a folder beside notion/ and a line here. */
export const catalog: readonly CatalogEntry[] = [
  notion,
  soon(
    'stripe',
    'Stripe',
    'Payments, customers and payouts of a Stripe account.',
    '#635bff',
    'https://connect.stripe.com',
  ),
  soon(
    'shopify',
    'Shopify',
    'Products, orders and customers of a Shopify store.',
    '#5e8e3e',
    'https://myshopify.com',
  ),
  soon(
    'paypal',
    'PayPal',
    'Log in with PayPal and read the account profile.',
    '#003087',
    'https://api-m.paypal.com',
  ),
  soon(
    'calendly',
    'Calendly',
    'Event types and scheduled events.',
    '#006bff',
    'https://auth.calendly.com',
  ),
  soon('zoom', 'Zoom', 'Meetings and recordings of a Zoom user.', '#0b5cff', 'https://zoom.us'),
  soon(
    'telegram',
    'Telegram',
    'A Telegram user account, by phone code or QR login.',
    '#229ed9',
    'https://telegram.org',
    'telegram',
  ),
  soon(
    'github',
    'GitHub',
    'Repositories, issues and pull requests.',
    '#24292f',
    'https://github.com',
  ),
  soon(
    'slack',
    'Slack',
    'Channels and messages of a Slack workspace.',
    '#4a154b',
    'https://slack.com',
  ),
  soon(
    'google-drive',
    'Google Drive',
    'Files and folders in Google Drive.',
    '#1a73e8',
    'https://accounts.google.com',
  ),
  soon(
    'hubspot',
    'HubSpot',
    'Contacts, companies and deals in HubSpot CRM.',
    '#ff7a59',
    'https://app.hubspot.com',
  ),
  soon(
    'salesforce',
    'Salesforce',
    'Accounts, contacts and opportunities in Salesforce.',
    '#00a1e0',
    'https://login.salesforce.com',
  ),
];

for (const p of catalog) registerProviderName(p.id, p.name);

export function findCatalogEntry(id: string): CatalogEntry | undefined {
  return catalog.find((p) => p.id === id);
}

/** The connectable provider with this id, or a PlugboardError a person understands. */
export function getProvider(id: string): ProviderDefinition {
  if (!ProviderIdSchema.safeParse(id).success) throw new PlugboardError('PROVIDER_UNKNOWN');
  const entry = findCatalogEntry(id);
  if (!entry) throw new PlugboardError('PROVIDER_UNKNOWN');
  if ('comingSoon' in entry) {
    throw new PlugboardError('PROVIDER_NOT_AVAILABLE', `${entry.name} cannot be connected yet.`);
  }
  return entry;
}
