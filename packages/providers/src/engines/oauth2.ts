/**
 * The OAuth 2.0 engine every oauth2 provider folder runs on: authorize URL, code exchange,
 * token answers read into a TokenSet (with a grant's additional tokens), refresh, revoke and the
 * identity call. Over 400 lines because these share one reader and one set of rules (a refresh
 * never loses a refresh token); split, each part would import the others.
 */
import { PlugboardError, type ConnectionMetadata } from '@plugboard/contracts';
import { z } from 'zod';
import type { ProviderResponse } from '../http';
import type {
  AdditionalToken,
  EndpointTemplate,
  IntegrationConfig,
  OAuth2Provider,
  OAuth2ProviderSpec,
  ProviderCallContext,
  TokenAnswer,
  TokenSet,
} from '../types';

/** Turns a provider folder's typed spec into a catalog entry (erasing its generics). */
export function defineOAuth2Provider<T, M extends ConnectionMetadata>(
  spec: OAuth2ProviderSpec<T, M>,
): OAuth2Provider {
  const { tokenResponse, identify, revoke, ...rest } = spec;
  return {
    ...rest,
    authMode: 'oauth2',
    async identify(tokens, ctx) {
      const parsed = tokenResponse.safeParse(tokens.raw);
      if (!parsed.success) {
        throw new PlugboardError(
          'PROVIDER_ERROR',
          `${spec.name} answered with an unexpected token response. Start connecting again.`,
        );
      }
      return identify({ ...tokens, response: parsed.data }, ctx);
    },
    ...(revoke ? { revoke } : {}),
  };
}

/**
 * Resolves an endpoint template against the integration's base URL (or, live, against the
 * endpoint's own host); `{name}` takes an input, in the path and in the base URL alike (a
 * per-store host). Values are URL-encoded; a provider whose input picks a host validates it in
 * `normalizeInputs` first.
 */
export function resolveEndpoint(
  template: EndpointTemplate,
  config: IntegrationConfig,
  inputs: Record<string, string> = {},
): string {
  const fill = (s: string) =>
    s.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = inputs[name];
      if (value === undefined) throw new Error(`endpoint input "${name}" missing`);
      return encodeURIComponent(value);
    });
  const filled = fill(typeof template === 'string' ? template : template.path);
  if (/^https?:\/\//.test(filled)) return filled;
  let base = fill(config.baseUrl);
  if (typeof template !== 'string' && config.mode === 'live') {
    const { liveHost } = template;
    base = typeof liveHost === 'string' ? liveHost : liveHost(new URL(base));
  }
  return `${base.replace(/\/$/, '')}${filled}`;
}

export function buildAuthorizationUrl(
  provider: OAuth2Provider,
  config: IntegrationConfig,
  args: {
    redirectUri: string;
    state: string;
    codeChallenge: string | null;
    inputs?: Record<string, string>;
  },
): string {
  const url = new URL(resolveEndpoint(provider.endpoints.authorize, config, args.inputs));
  const params = url.searchParams;
  params.set('client_id', config.clientId);
  params.set('redirect_uri', args.redirectUri);
  params.set('response_type', 'code');
  params.set('state', args.state);
  const scopes = config.scopes ?? provider.scopes;
  if (provider.scopeParams) {
    for (const [k, v] of Object.entries(provider.scopeParams(scopes))) params.set(k, v);
  } else if (scopes.length > 0) {
    params.set(provider.scopeParam ?? 'scope', scopes.join(provider.scopeSeparator));
  }
  if (provider.pkce && args.codeChallenge) {
    params.set('code_challenge', args.codeChallenge);
    params.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(provider.authorizeParams)) params.set(k, v);
  return url.toString();
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding. */
export function basicAuth(config: IntegrationConfig): string {
  const id = encodeURIComponent(config.clientId);
  const secret = encodeURIComponent(config.clientSecret);
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Headers + body for a call to a token-style endpoint, with the provider's client auth. */
export function clientAuthenticatedRequest(
  provider: OAuth2Provider,
  config: IntegrationConfig,
  params: Record<string, string>,
) {
  const headers: Record<string, string> = { ...provider.headers };
  const fields = { ...params };
  switch (provider.clientAuth) {
    case 'basic':
      headers.authorization = basicAuth(config);
      break;
    case 'body':
      fields.client_id = config.clientId;
      fields.client_secret = config.clientSecret;
      break;
    case 'secret-bearer':
      headers.authorization = `Bearer ${config.clientSecret}`;
      break;
    default:
      assertNever(provider.clientAuth);
  }
  const body = provider.tokenBody === 'json' ? { json: fields } : { form: fields };
  return { headers, body };
}

const StandardTokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  refresh_token: z.string().nullish(),
  expires_in: z.coerce.number().positive().nullish(),
  scope: z.string().nullish(),
});

const OAuthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
});

function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}

type Normalize = (res: ProviderResponse) => TokenAnswer;

/**
 * Maps a token endpoint's answer onto a TokenSet or a PlugboardError a person can act on;
 * `normalize` reads it (the provider's `normalizeTokenResponse`, or an additional token's).
 */
export function readTokenResponse(
  provider: OAuth2Provider,
  original: ProviderResponse,
  now: Date,
  normalize: Normalize | undefined = provider.normalizeTokenResponse,
): TokenSet {
  const res = normalize?.(original) ?? original;
  // Several providers send errors with HTTP 200; an error field without a token is an error.
  const errorIn200 =
    OAuthErrorSchema.safeParse(res.body).success &&
    !StandardTokenResponseSchema.safeParse(res.body).success;
  if (res.status >= 200 && res.status < 300 && !errorIn200) {
    const parsed = StandardTokenResponseSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        `${provider.name} answered without an access token. Start connecting again.`,
      );
    }
    const t = parsed.data;
    return {
      accessToken: t.access_token,
      // An empty refresh token is none: it must never replace a stored one.
      refreshToken: t.refresh_token || null,
      tokenType: t.token_type ?? 'bearer',
      expiresAt: t.expires_in ? new Date(now.getTime() + t.expires_in * 1000) : null,
      // A scope that is there but empty is none granted (a GitHub App's user token has no
      // scopes); only an answer without `scope` means the ones asked for (RFC 6749 §5.1).
      scopes:
        typeof t.scope === 'string' ? t.scope.split(/[ ,]+/).filter(Boolean) : [...provider.scopes],
      raw: isRecord(original.body) ? original.body : (res.body as Record<string, unknown>),
    };
  }
  const err = OAuthErrorSchema.safeParse(res.body);
  const code = err.success ? err.data.error : undefined;
  if (code === 'invalid_grant') {
    throw new PlugboardError(
      'GRANT_INVALID',
      `${provider.name} did not accept the authorization (it may have expired or been used already). Start connecting again.`,
    );
  }
  if (code === 'invalid_client' || code === 'unauthorized_client' || res.status === 401) {
    throw new PlugboardError(
      'PROVIDER_ERROR',
      `${provider.name} rejected Plugboard's client credentials. An administrator must check the ${provider.name} integration settings.`,
    );
  }
  throw new PlugboardError(
    'PROVIDER_ERROR',
    `${provider.name} refused the token request (HTTP ${res.status}${code ? `, ${code}` : ''}). Start connecting again.`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function exchangeCode(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  args: {
    code: string;
    redirectUri: string;
    codeVerifier: string | null;
    tokenUrl: string;
    now: Date;
  },
): Promise<TokenSet> {
  const params: Record<string, string> =
    provider.codeExchange === 'code-only'
      ? { ...provider.tokenParams, code: args.code }
      : {
          ...provider.tokenParams,
          grant_type: 'authorization_code',
          code: args.code,
          redirect_uri: args.redirectUri,
        };
  if (args.codeVerifier) params.code_verifier = args.codeVerifier;
  const { headers, body } = clientAuthenticatedRequest(provider, ctx.config, params);
  const res = await ctx.http.request(provider.id, {
    operation: 'token_exchange',
    method: 'POST',
    url: args.tokenUrl,
    headers,
    body,
  });
  const tokens = await withExpiry(provider, ctx, readTokenResponse(provider, res, args.now));
  const additional = readAdditionalTokens(provider, res, args.now);
  return additional ? { ...tokens, additionalTokens: additional } : tokens;
}

/** An additional token's reader, answering "no token" in the RFC shape where it finds none. */
function additionalNormalize(provider: OAuth2Provider, name: string): Normalize {
  const read = provider.additionalTokens?.[name];
  if (!read) throw new Error(`${provider.id} has no additional token "${name}"`);
  return (res) => read(res) ?? { status: res.status, body: {} };
}

const additionalPart = ({ raw: _raw, additionalTokens: _a, ...t }: TokenSet): AdditionalToken => t;

/** The grant's further tokens in a code exchange's answer (undefined: none). */
function readAdditionalTokens(
  provider: OAuth2Provider,
  res: ProviderResponse,
  now: Date,
): Record<string, AdditionalToken> | undefined {
  const found: Record<string, AdditionalToken> = {};
  for (const [name, read] of Object.entries(provider.additionalTokens ?? {})) {
    if (read(res) === null) continue;
    found[name] = additionalPart(
      readTokenResponse(provider, res, now, additionalNormalize(provider, name)),
    );
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/** Fills an unknown expiry from the provider when it can say (`tokenExpiry`). */
async function withExpiry(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  tokens: TokenSet,
): Promise<TokenSet> {
  if (tokens.expiresAt !== null || !provider.tokenExpiry) return tokens;
  return { ...tokens, expiresAt: await provider.tokenExpiry(tokens, ctx) };
}

/** RFC 7009-style revocation used by providers whose revoke endpoint takes `{ token }`. */
export async function revokeToken(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  token: string,
  extra: Record<string, string> = {},
): Promise<void> {
  if (!provider.endpoints.revoke) return;
  const { headers, body } = clientAuthenticatedRequest(provider, ctx.config, { token, ...extra });
  const res = await ctx.http.request(provider.id, {
    operation: 'revoke',
    method: 'POST',
    url: resolveEndpoint(provider.endpoints.revoke, ctx.config),
    headers,
    body,
  });
  expectRevoked(provider, res);
}

/** A revoke call that the provider did not confirm is an error (the core logs and moves on). */
export function expectRevoked(provider: Pick<OAuth2Provider, 'name'>, res: ProviderResponse): void {
  if (res.status >= 400) {
    throw new PlugboardError(
      'PROVIDER_ERROR',
      `${provider.name} refused to revoke the token (HTTP ${res.status}).`,
    );
  }
}

/**
 * Calls a provider's identity endpoint and parses the answer, or fails with a PROVIDER_ERROR
 * that says the account could not be read (never the body: it may echo a token).
 */
export async function fetchIdentity<T>(
  provider: Pick<OAuth2Provider, 'id' | 'name'>,
  ctx: ProviderCallContext,
  req: IdentityRequest<T>,
): Promise<T> {
  return (await fetchIdentityResponse(provider, ctx, req)).body;
}

export interface IdentityRequest<T> {
  url: string;
  accessToken: string;
  schema: z.ZodType<T>;
  headers?: Record<string, string>;
  secretInPath?: boolean;
  /** The header carrying the bare token instead of `Authorization: Bearer` (Shopify's). */
  tokenHeader?: string;
}

/** `fetchIdentity` with the response headers, for providers that say more in them (Shopify). */
export async function fetchIdentityResponse<T>(
  provider: Pick<OAuth2Provider, 'id' | 'name'>,
  ctx: ProviderCallContext,
  req: IdentityRequest<T>,
): Promise<{ body: T; headers: Headers }> {
  const auth = req.tokenHeader
    ? { [req.tokenHeader]: req.accessToken }
    : { authorization: `Bearer ${req.accessToken}` };
  const res = await ctx.http.request(provider.id, {
    operation: 'identity',
    method: 'GET',
    url: req.url,
    headers: { ...auth, ...req.headers },
    ...(req.secretInPath ? { secretInPath: true } : {}),
  });
  const parsed = req.schema.safeParse(res.body);
  if (res.status !== 200 || !parsed.success) {
    throw new PlugboardError(
      'PROVIDER_ERROR',
      `${provider.name} did not return the connected account (HTTP ${res.status}). Start connecting again.`,
    );
  }
  return { body: parsed.data, headers: res.headers };
}

/**
 * `grant_type=refresh_token`. Providers that rotate return a new refresh token, which replaces
 * the old one; an answer without one (Google never sends one, a rotating provider may skip a
 * rotation) keeps the old one, for every provider: a refresh must never erase a refresh token.
 * Likewise an answer without `scope` keeps the scopes granted before (RFC 6749 §5.1: scope is
 * omitted when unchanged), instead of falling back to the ones Plugboard asks for.
 */
export async function refreshTokens(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  args: { refreshToken: string; tokenUrl: string; now: Date; scopes?: string[] },
): Promise<TokenSet> {
  return refreshWith(provider, ctx, args, provider.normalizeTokenResponse);
}

/**
 * `refreshTokens` for one of the grant's additional tokens (`provider.additionalTokens`), with
 * its own refresh token, read with its own reader; the same rules (a missing refresh token or
 * scope keeps the old).
 */
export async function refreshAdditionalToken(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  name: string,
  args: { token: AdditionalToken & { refreshToken: string }; tokenUrl: string; now: Date },
): Promise<AdditionalToken> {
  const { token, ...rest } = args;
  const normalize = additionalNormalize(provider, name);
  const fresh = await refreshWith(
    provider,
    ctx,
    { ...rest, refreshToken: token.refreshToken, scopes: token.scopes },
    normalize,
  );
  return additionalPart(fresh);
}

async function refreshWith(
  provider: OAuth2Provider,
  ctx: ProviderCallContext,
  args: { refreshToken: string; tokenUrl: string; now: Date; scopes?: string[] },
  normalize: Normalize | undefined,
): Promise<TokenSet> {
  const { headers, body } = clientAuthenticatedRequest(provider, ctx.config, {
    grant_type: 'refresh_token',
    refresh_token: args.refreshToken,
  });
  const res = await ctx.http.request(provider.id, {
    operation: 'refresh',
    method: 'POST',
    url: args.tokenUrl,
    headers,
    body,
  });
  const tokens = readTokenResponse(provider, res, args.now, normalize);
  const answered = normalize?.(res).body ?? res.body;
  const scopeGiven = isRecord(answered) && typeof answered.scope === 'string' && answered.scope;
  return withExpiry(provider, ctx, {
    ...tokens,
    refreshToken: tokens.refreshToken ?? args.refreshToken,
    scopes: scopeGiven || args.scopes === undefined ? tokens.scopes : [...args.scopes],
  });
}
