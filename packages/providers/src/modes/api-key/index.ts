import { PlugboardError } from '@plugboard/contracts';
import type { ProviderHttp } from '../../http';
import type { Account, ApiKeyProvider, CatalogEntry, IntegrationConfig } from '../../types';
import type { ApiKeyCredentials, AuthModeLifecycle } from '../types';
import { fieldMeta } from './define';

export * from './define';

/**
 * The api_key mode: the user types the credentials a provider issues for its own API (a bot
 * token, an internal integration secret, a restricted key, a custom app's token). `verify`
 * checks them against the provider's field schema, then has the provider confirm them with a
 * real call, and only then hands core an account and credentials to store. They do not expire
 * on their own and cannot be refreshed; they are revoked where the provider has an API for it.
 */
export interface ApiKeyMode extends AuthModeLifecycle<ApiKeyCredentials> {
  verify(
    entry: CatalogEntry,
    values: Record<string, string>,
    ctx: { http: ProviderHttp; config: IntegrationConfig },
  ): Promise<{ account: Account; credentials: ApiKeyCredentials }>;
}

function apiKeyOf(entry: CatalogEntry): ApiKeyProvider {
  if (entry.authMode !== 'api_key' || 'comingSoon' in entry) {
    throw new PlugboardError(
      'PROVIDER_NOT_AVAILABLE',
      `${entry.name} does not connect with an API key.`,
    );
  }
  return entry;
}

/** The first field that does not have the provider's form, as an INPUT_INVALID at that field. */
function parseValues(provider: ApiKeyProvider, values: Record<string, string>) {
  const unknown = Object.keys(values).find((k) => !Object.hasOwn(provider.fields.shape, k));
  if (unknown !== undefined) {
    throw new PlugboardError('INPUT_INVALID', `${provider.name} has no field "${unknown}".`, {
      field: `values.${unknown}`,
    });
  }
  const parsed = provider.fields.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? '');
  const schema = provider.fields.shape[name];
  const label = schema ? fieldMeta(name, schema).label : name;
  const message =
    values[name] === undefined || values[name] === ''
      ? `${label} is required.`
      : `${label}: ${issue.message}`;
  throw new PlugboardError('INPUT_INVALID', message, { field: `values.${name}` });
}

/** The value a backend sends to authenticate: the provider's first secret field. */
function secretValue(provider: ApiKeyProvider | undefined, values: Record<string, string>) {
  const secret = provider?.inputs.find((i) => i.secret)?.name;
  return (secret && values[secret]) ?? Object.values(values)[0] ?? '';
}

export function apiKeyMode(): ApiKeyMode {
  return {
    type: 'api_key',
    reconnectsByLink: true,
    modeFromEnvironment: null,
    appClient: false,
    defaultScopes: () => [],
    // The typed values are the credentials themselves: nothing is kept in the metadata.
    inputsFromMetadata: () => ({}),
    healthCheck: null,
    async verify(entry, values, ctx) {
      const provider = apiKeyOf(entry);
      const parsed = parseValues(provider, values);
      const account = await provider.verify(parsed, { ...ctx, inputs: parsed });
      return { account, credentials: { type: 'api_key', values: parsed } };
    },
    expiresAt: () => null,
    scopes: () => [],
    refreshable: () => false,
    refresh() {
      return Promise.reject(new PlugboardError('INTERNAL', 'API keys do not refresh.'));
    },
    async revoke(entry, c, ctx) {
      const provider = apiKeyOf(entry);
      if (!provider.revoke) return false;
      await provider.revoke(c.values, { http: ctx.http, config: ctx.config, inputs: c.values });
      return true;
    },
    toDto(entry, c) {
      return {
        type: 'api_key',
        values: { ...c.values },
        accessToken: secretValue(
          entry.authMode === 'api_key' ? (entry as ApiKeyProvider) : undefined,
          c.values,
        ),
        tokenType: 'api_key',
        expiresAt: null,
        scopes: [],
      };
    },
  };
}
