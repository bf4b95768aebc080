import { PlugboardError, type ConnectionMetadata } from '@plugboard/contracts';
import {
  buildAuthorizationUrl,
  exchangeCode,
  refreshAdditionalToken,
  refreshTokens,
  resolveEndpoint,
} from '../../engines/oauth2';
import { verifyIdToken } from '../../engines/id-token';
import type {
  AdditionalToken,
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
  /** The code exchange, then the id_token check where the provider declares one. */
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

const additional = (c: OAuth2Credentials) => Object.entries(c.additionalTokens ?? {});

/** The earliest expiry of the connection's tokens: the grant is due when any one of them is. */
function earliestExpiry(c: OAuth2Credentials): Date | null {
  const times = [c.expiresAt, ...additional(c).map(([, t]) => t.expiresAt)]
    .filter((d): d is Date => d !== null)
    .map((d) => d.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

const isGrantInvalid = (e: unknown) => e instanceof PlugboardError && e.code === 'GRANT_INVALID';

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
  async exchange(provider, ctx, args) {
    const tokens = await exchangeCode(provider, ctx, args);
    await verifyIdToken(provider, ctx, tokens, args.now);
    return tokens;
  },
  identity: (provider, tokens, ctx) => provider.identify(tokens, ctx),
  inputsFor,
  credentials: (tokens) => ({ type: 'oauth2', ...tokens }),
  expiresAt: earliestExpiry,
  scopes: (c) => c.scopes,
  refreshable: (c) =>
    c.refreshToken !== null || additional(c).some(([, t]) => t.refreshToken !== null),
  /**
   * Refreshes the connection's token, then each additional token that has a refresh token,
   * each with its own (all of a grant's tokens at once: the one due sets the pace). A grant the
   * provider says is gone is GRANT_INVALID whichever token found it; any other failure of an
   * additional token after the main one rotated keeps that token as it was (its refresh token
   * was not used up) rather than lose the main one's new refresh token: the next call retries.
   */
  async refresh(entry, c, ctx) {
    const provider = oauth2Of(entry);
    // Per-store providers (Shopify) refresh at the store's own token endpoint.
    const call = callContext(provider, ctx);
    const tokenUrl = resolveEndpoint(provider.endpoints.token, ctx.config, call.inputs);
    let next: OAuth2Credentials = c;
    if (c.refreshToken !== null) {
      const fresh = await refreshTokens(provider, call, {
        refreshToken: c.refreshToken,
        tokenUrl,
        now: ctx.now,
        scopes: c.scopes,
      });
      // The engine's rule, restated where credentials are replaced: never lose a refresh token.
      const { additionalTokens: _none, ...main } = fresh;
      next = {
        ...c,
        ...main,
        type: 'oauth2',
        refreshToken: fresh.refreshToken ?? c.refreshToken,
      };
    }
    const tokens: Record<string, AdditionalToken> = {};
    for (const [name, token] of additional(c)) {
      tokens[name] = token;
      if (token.refreshToken === null) continue;
      try {
        const fresh = await refreshAdditionalToken(provider, call, name, {
          token: { ...token, refreshToken: token.refreshToken },
          tokenUrl,
          now: ctx.now,
        });
        tokens[name] = { ...fresh, refreshToken: fresh.refreshToken ?? token.refreshToken };
      } catch (e) {
        if (isGrantInvalid(e) || next === c) throw e;
      }
    }
    return c.additionalTokens ? { ...next, additionalTokens: tokens } : next;
  },
  async revoke(entry, c, ctx) {
    const provider = oauth2Of(entry);
    if (!provider.revoke) return false;
    await provider.revoke(tokenSet(c), callContext(provider, ctx));
    return true;
  },
  toDto: (_entry, c) => ({
    type: 'oauth2',
    accessToken: c.accessToken,
    tokenType: c.tokenType,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    scopes: c.scopes,
    ...(c.additionalTokens
      ? {
          additionalTokens: Object.fromEntries(
            additional(c).map(([name, t]) => [
              name,
              {
                accessToken: t.accessToken,
                tokenType: t.tokenType,
                expiresAt: t.expiresAt?.toISOString() ?? null,
                scopes: t.scopes,
              },
            ]),
          ),
        }
      : {}),
  }),
};
