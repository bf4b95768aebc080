import { PlugboardError, ProviderIdSchema } from '@plugboard/contracts';
import { catalog } from './catalog.generated';
import type { CatalogEntry, ConnectableProvider, ProviderDefinition } from './types';

export { catalog };

function assertNever(value: never): never {
  throw new Error(`unexpected catalog entry ${JSON.stringify(value)}`);
}

export function findCatalogEntry(id: string): CatalogEntry | undefined {
  return catalog.find((p) => p.id === id);
}

/** The connectable provider with this id, whatever its mode, or a PlugboardError. */
export function getConnectableProvider(id: string): ConnectableProvider {
  if (!ProviderIdSchema.safeParse(id).success) throw new PlugboardError('PROVIDER_UNKNOWN');
  const entry = findCatalogEntry(id);
  if (!entry) throw new PlugboardError('PROVIDER_UNKNOWN');
  if ('comingSoon' in entry) {
    throw new PlugboardError('PROVIDER_NOT_AVAILABLE', `${entry.name} cannot be connected yet.`);
  }
  return entry;
}

/** The OAuth provider with this id, or a PlugboardError a person understands. */
export function getProvider(id: string): ProviderDefinition {
  const entry = getConnectableProvider(id);
  switch (entry.authMode) {
    case 'oauth2':
      return entry;
    case 'telegram':
      // Telegram has its own steps (phone code, 2FA password, QR), not an OAuth redirect.
      throw new PlugboardError(
        'PROVIDER_NOT_AVAILABLE',
        `${entry.name} does not connect through a sign-in redirect: use the Telegram steps (phone code or QR login) instead.`,
      );
    case 'api_key':
      throw new PlugboardError(
        'PROVIDER_NOT_AVAILABLE',
        `${entry.name} does not connect through a sign-in redirect: enter its credentials instead.`,
      );
    default:
      return assertNever(entry);
  }
}
