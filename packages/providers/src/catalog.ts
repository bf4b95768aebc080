import { PlugboardError, ProviderIdSchema, type ProviderId } from '@plugboard/contracts';
import { calendly } from './calendly';
import { github } from './github';
import { googleDrive } from './google-drive';
import { registerProviderName } from './http';
import { hubspot } from './hubspot';
import { notion } from './notion';
import { paypal } from './paypal';
import { salesforce } from './salesforce';
import { shopify } from './shopify';
import { slack } from './slack';
import { stripe } from './stripe';
import { zoom } from './zoom';
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
  stripe,
  shopify,
  paypal,
  calendly,
  zoom,
  soon(
    'telegram',
    'Telegram',
    'A Telegram user account, by phone code or QR login.',
    '#229ed9',
    'https://telegram.org',
    'telegram',
  ),
  github,
  slack,
  googleDrive,
  hubspot,
  salesforce,
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
