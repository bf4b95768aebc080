import type {
  ConnectionMetadata,
  ProviderId,
  ProviderInputSpec,
  ProviderSummary,
} from '@plugboard/contracts';
import type { z } from 'zod';
import type { ProviderHttp } from './http';

/** Where a provider's endpoints live and which OAuth client Plugboard uses for it. */
export interface IntegrationConfig {
  providerId: ProviderId;
  mode: 'mock' | 'live';
  clientId: string;
  clientSecret: string;
  /** Base URL the endpoint templates are resolved against (live host or the mock's prefix). */
  baseUrl: string;
}

/** What the engine reads from every token response, whatever the provider. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  tokenType: string;
  expiresAt: Date | null;
  scopes: string[];
  /** The provider's full token response (kept encrypted with the credentials). */
  raw: Record<string, unknown>;
}

/** The account a connection belongs to, as the provider identifies it. */
export interface Account<M extends ConnectionMetadata = ConnectionMetadata> {
  accountId: string;
  label: string;
  metadata: M;
}

export interface ProviderCallContext {
  http: ProviderHttp;
  config: IntegrationConfig;
}

export interface OAuth2Endpoints {
  /** Paths (or absolute URLs) resolved against the integration's base URL. */
  authorize: string;
  token: string;
  revoke?: string;
}

interface ProviderCommon {
  id: ProviderId;
  name: string;
  description: string;
  color: string;
  /** The live base URL, used when real credentials are configured. */
  liveBaseUrl: string;
  inputs: ProviderInputSpec[];
}

/**
 * An OAuth2 provider, written once per provider folder. Generics are erased by
 * `defineOAuth2Provider` so the catalog can hold them side by side without `any`.
 */
export interface OAuth2Provider extends ProviderCommon {
  authMode: 'oauth2';
  endpoints: OAuth2Endpoints;
  scopes: readonly string[];
  scopeSeparator: ' ' | ',';
  clientAuth: 'basic' | 'body';
  tokenBody: 'form' | 'json';
  /**
   * PKCE S256 is sent unless a provider rejects or does not support it; turning it off is an
   * explicit, reviewed choice per provider, and `state` stays mandatory either way.
   */
  pkce: boolean;
  authorizeParams: Record<string, string>;
  /** Headers sent on every call to this provider (e.g. Notion-Version). */
  headers: Record<string, string>;
  /** Reads the account from the token response (and the provider's identity endpoint). */
  identify(tokens: TokenSet, ctx: ProviderCallContext): Promise<Account>;
  /** Revokes the grant at the provider; absent where the provider has no revocation. */
  revoke?(tokens: TokenSet, ctx: ProviderCallContext): Promise<void>;
}

/** Listed in the catalog, not connectable yet. */
export interface ComingSoonProvider extends ProviderCommon {
  authMode: 'oauth2' | 'telegram';
  comingSoon: true;
}

export type ProviderDefinition = OAuth2Provider;
export type CatalogEntry = ProviderDefinition | ComingSoonProvider;

export function toSummary(p: CatalogEntry): ProviderSummary {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    color: p.color,
    authMode: p.authMode,
    availability: 'comingSoon' in p ? 'coming_soon' : 'available',
    inputs: p.inputs,
  };
}

export interface OAuth2ProviderSpec<T, M extends ConnectionMetadata> extends Omit<
  OAuth2Provider,
  'authMode' | 'identify' | 'revoke'
> {
  tokenResponse: z.ZodType<T>;
  identify(tokens: TokenSet & { response: T }, ctx: ProviderCallContext): Promise<Account<M>>;
  revoke?(tokens: TokenSet, ctx: ProviderCallContext): Promise<void>;
}
