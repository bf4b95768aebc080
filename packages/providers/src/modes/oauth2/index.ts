import { PlugboardError, type ConnectionMetadata } from '@plugboard/contracts';
import {
  buildAuthorizationUrl,
  exchangeCode,
  refreshTokens,
  resolveEndpoint,
} from '../../engines/oauth2';
import type {
  CatalogEntry,
  IntegrationConfig,
  OAuth2Provider,
  ProviderCallContext,
  TokenSet,
} from '../../types';
import type { AuthModeLifecycle, ModeCallContext, OAuth2Credentials } from '../types';

/**
 * The oauth2 mode: authorization-code grant with PKCE and state (RFC 6749, RFC 7636, RFC 9700),
 * driven by the engine in packages/providers/src/engines/oauth2.ts from each provider folder's
 * definition. Connect = `start` (the authorization URL) → the provider's callback →
 * `verifyCallback` → `exchange` → `identity`; a stored connection refreshes with its refresh
 * token and revokes through the provider's own `revoke`.
 */
export interface OAuth2Mode extends AuthModeLifecycle<OAuth2Credentials> {
  start: typeof buildAuthorizationUrl;
  /** The token endpoint a connect exchanges its code at (per store for Shopify), kept with it. */
  tokenUrl(
    provider: OAuth2Provider,
    config: IntegrationConfig,
    inputs: Record<string, string>,
  ): string;
  exchange: typeof exchangeCode;
  identity(
    provider: OAuth2Provider,
    tokens: TokenSet,
    ctx: ProviderCallContext,
  ): ReturnType<OAuth2Provider['identify']>;
  /** The inputs a stored connection was made with (Shopify's store), from its metadata. */
  inputsFor(provider: OAuth2Provider, metadata: ConnectionMetadata): Record<string, string>;
  credentials(tokens: TokenSet): OAuth2Credentials;
}

function oauth2Of(entry: CatalogEntry): OAuth2Provider {
  if (entry.authMode !== 'oauth2' || 'comingSoon' in entry) {
    throw new PlugboardError('PROVIDER_NOT_AVAILABLE', `${entry.name} is not an OAuth provider.`);
  }
  return entry;
}

function inputsFor(provider: OAuth2Provider, metadata: ConnectionMetadata) {
  return provider.inputsFromMetadata ? provider.inputsFromMetadata(metadata) : {};
}

function callContext(provider: OAuth2Provider, ctx: ModeCallContext): ProviderCallContext {
  return {
    http: ctx.http,
    config: ctx.config,
    inputs: inputsFor(provider, ctx.metadata),
    now: ctx.now,
  };
}

const tokenSet = ({ type: _type, ...tokens }: OAuth2Credentials): TokenSet => tokens;

export const oauth2Mode: OAuth2Mode = {
  type: 'oauth2',
  reconnectsByLink: true,
  modeFromEnvironment: null,
  appClient: true,
  defaultScopes: (entry) => (entry.authMode === 'oauth2' && 'scopes' in entry ? entry.scopes : []),
  inputsFromMetadata: (entry, metadata) =>
    entry.authMode === 'oauth2' && 'inputsFromMetadata' in entry && entry.inputsFromMetadata
      ? entry.inputsFromMetadata(metadata)
      : {},
  async healthCheck(entry, c, ctx) {
    const provider = oauth2Of(entry);
    await provider.identify(tokenSet(c), {
      http: ctx.http,
      config: ctx.config,
      inputs: inputsFor(provider, ctx.metadata),
    });
  },
  start: buildAuthorizationUrl,
  tokenUrl: (provider, config, inputs) => resolveEndpoint(provider.endpoints.token, config, inputs),
  exchange: exchangeCode,
  identity: (provider, tokens, ctx) => provider.identify(tokens, ctx),
  inputsFor,
  credentials: (tokens) => ({ type: 'oauth2', ...tokens }),
  expiresAt: (c) => c.expiresAt,
  scopes: (c) => c.scopes,
  refreshable: (c) => c.refreshToken !== null,
  async refresh(entry, c, ctx) {
    const provider = oauth2Of(entry);
    // Per-store providers (Shopify) refresh at the store's own token endpoint.
    const call = callContext(provider, ctx);
    const fresh = await refreshTokens(provider, call, {
      refreshToken: c.refreshToken!,
      tokenUrl: resolveEndpoint(provider.endpoints.token, ctx.config, call.inputs),
      now: ctx.now,
      scopes: c.scopes,
    });
    // The engine's rule, restated where credentials are replaced: never lose a refresh token.
    return { type: 'oauth2', ...fresh, refreshToken: fresh.refreshToken ?? c.refreshToken };
  },
  async revoke(entry, c, ctx) {
    const provider = oauth2Of(entry);
    if (!provider.revoke) return false;
    await provider.revoke(tokenSet(c), callContext(provider, ctx));
    return true;
  },
  toDto: (_entry, c) => ({
    type: 'oauth2',
    reconnectsByLink: true,
    modeFromEnvironment: null,
    accessToken: c.accessToken,
    tokenType: c.tokenType,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    scopes: c.scopes,
  }),
};
