import { PlugboardError, ProviderIdSchema } from '@plugboard/contracts';
import { calendly } from './calendly';
import { github } from './github';
import { googleDrive } from './google-drive';
import { hubspot } from './hubspot';
import { notion } from './notion';
import { paypal } from './paypal';
import { salesforce } from './salesforce';
import { shopify } from './shopify';
import { slack } from './slack';
import { stripe } from './stripe';
import { telegram } from './telegram';
import { zoom } from './zoom';
import type { CatalogEntry, ProviderDefinition } from './types';

function assertNever(value: never): never {
  throw new Error(`unexpected catalog entry ${JSON.stringify(value)}`);
}

/** Every provider, in display order. Adding one: a folder beside notion/ and a line here. */
export const catalog: readonly CatalogEntry[] = [
  notion,
  stripe,
  shopify,
  paypal,
  calendly,
  zoom,
  telegram,
  github,
  slack,
  googleDrive,
  hubspot,
  salesforce,
];

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
  switch (entry.authMode) {
    case 'oauth2':
      return entry;
    case 'telegram':
      // Telegram has its own steps (phone code, 2FA password, QR), not an OAuth redirect.
      throw new PlugboardError(
        'PROVIDER_NOT_AVAILABLE',
        `${entry.name} does not connect through a sign-in redirect: use the Telegram steps (phone code or QR login) instead.`,
      );
    default:
      return assertNever(entry);
  }
}
