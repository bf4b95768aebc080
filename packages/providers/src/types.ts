import type {
  ConnectionMetadata,
  ProviderBrand,
  ProviderId,
  ProviderInputSpec,
  ProviderSummary,
} from '@plugboard/contracts';
import type { z } from 'zod';
import type { ProviderHttp, ProviderResponse } from './http';

/** Where a provider's endpoints live and which OAuth client Plugboard uses for it. */
export interface IntegrationConfig {
  providerId: ProviderId;
  mode: 'mock' | 'live';
  clientId: string;
  clientSecret: string;
  /**
   * The secret the provider signs its event webhooks with when it is not the client secret
   * (Stripe's endpoint `whsec_…`, Slack's signing secret): `<KEY>_WEBHOOK_SECRET`.
   */
  webhookSecret?: string;
  /** Base URL the endpoint templates are resolved against (live host or the mock's prefix). */
  baseUrl: string;
  /** Replaces the provider's default scopes (`server.integrations.upsert`); absent: the default. */
  scopes?: readonly string[];
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
  /**
   * Further tokens of the same grant, by name (Slack's `bot` token beside the user's): each
   * with its own refresh token and expiry, refreshed with it. Absent where there are none.
   */
  additionalTokens?: Record<string, AdditionalToken>;
}

/** A token a grant carries beside the connection's own access token (see `TokenSet`). */
export type AdditionalToken = Omit<TokenSet, 'raw' | 'additionalTokens'>;

/** The account a connection belongs to, as the provider identifies it. */
export interface Account<M extends ConnectionMetadata = ConnectionMetadata> {
  accountId: string;
  label: string;
  metadata: M;
}

export interface ProviderCallContext {
  http: ProviderHttp;
  config: IntegrationConfig;
  /**
   * The user inputs the grant was made for (Shopify's `shop`): the attempt's during a connect,
   * rebuilt with `inputsFromMetadata` for a stored connection.
   */
  inputs?: Record<string, string>;
  /** The caller's clock (a stored connection's calls); providers fall back to the time of day. */
  now?: Date;
}

/** What a provider's callback check may rely on: none of it comes from the callback itself. */
export interface CallbackVerificationContext {
  config: IntegrationConfig;
  /** The inputs stored with the attempt when it was started (already normalized). */
  inputs: Record<string, string>;
  now: Date;
}

/**
 * Where an endpoint lives: a path (or absolute URL) on the integration's base URL, or a path on
 * another of the provider's live hosts — many split authorization, token and API across hosts.
 * The mock folds every host of a provider under one prefix, so in mock mode only the path counts.
 * `liveHost` may derive the host from the base URL, so a sandbox base URL moves both hosts.
 */
export type EndpointTemplate =
  string | { liveHost: string | ((baseUrl: URL) => string); path: string };

export interface OAuth2Endpoints {
  authorize: EndpointTemplate;
  /** On the base URL: the core stores the resolved token URL with each attempt. */
  token: string;
  revoke?: EndpointTemplate;
  /** What `identify()` calls to learn whose account was connected. */
  identity?: EndpointTemplate;
}

/** A token endpoint answer as `readTokenResponse` expects it: RFC 6749 §5.1 / §5.2 shapes. */
export interface TokenAnswer {
  status: number;
  body: unknown;
}

interface ProviderCommon {
  id: ProviderId;
  name: string;
  description: string;
  color: string;
  /** The provider's mark (`brandFrom` a simple-icons icon); without one a letter tile shows. */
  brand?: ProviderBrand;
  /**
   * The live base URL, used when real credentials are configured. It may hold `{name}` input
   * placeholders (Shopify's per-store host `https://{shop}`).
   */
  liveBaseUrl: string;
  /** Where the provider lives on the mock server; `/<id>` unless it has per-input hosts too. */
  mockBasePath?: string;
  inputs: ProviderInputDeclaration[];
}

/** A provider input as a folder declares it: `secret` defaults to false (a shop domain). */
export type ProviderInputDeclaration = Omit<ProviderInputSpec, 'secret'> & { secret?: boolean };

/**
 * An OAuth2 provider, written once per provider folder. Generics are erased by
 * `defineOAuth2Provider` so the catalog can hold them side by side without `any`.
 */
export interface OAuth2Provider extends ProviderCommon {
  authMode: 'oauth2';
  endpoints: OAuth2Endpoints;
  scopes: readonly string[];
  scopeSeparator: ' ' | ',';
  /** The authorize parameter carrying the scopes; `scope` unless the provider says otherwise. */
  scopeParam?: string;
  /**
   * Spreads the scopes over several authorize parameters (Slack's bot `scope` beside the
   * user's `user_scope`); replaces `scopeParam` where a provider has it.
   */
  scopeParams?(scopes: readonly string[]): Record<string, string>;
  /**
   * Validates and canonicalizes the user's `inputs` before a flow starts (throws a
   * PlugboardError). What it returns is all that is stored and substituted into endpoints, so
   * a value that picks a host must be fully checked here.
   */
  normalizeInputs?(inputs: Record<string, string>): Record<string, string>;
  /**
   * Checks a successful authorization response before anything is consumed or any token is
   * requested (Shopify's signed callback). Throws a PlugboardError to reject it.
   */
  verifyCallback?(query: Record<string, string>, ctx: CallbackVerificationContext): void;
  /** Rebuilds a stored connection's inputs (for refresh and revoke URLs) from its metadata. */
  inputsFromMetadata?(metadata: ConnectionMetadata): Record<string, string>;
  /**
   * `basic`: HTTP Basic id:secret; `body`: `client_id` + `client_secret` in the body;
   * `secret-bearer`: the secret alone as a Bearer token (Stripe's platform secret key, which is
   * the only client credential Stripe has).
   */
  clientAuth: 'basic' | 'body' | 'secret-bearer';
  tokenBody: 'form' | 'json';
  /**
   * The code exchange's own fields: `rfc6749` sends `grant_type` and `redirect_uri` with the
   * code (the default); `code-only` sends just the code, for providers whose documented request
   * has neither (Shopify).
   */
  codeExchange?: 'rfc6749' | 'code-only';
  /** Extra fields of the code exchange (Shopify's `expiring: "1"`); never of a refresh. */
  tokenParams?: Record<string, string>;
  /**
   * PKCE S256 is sent unless a provider rejects or does not support it; turning it off is an
   * explicit, reviewed choice per provider, and `state` stays mandatory either way.
   */
  pkce: boolean;
  authorizeParams: Record<string, string>;
  /** Headers sent on every call to this provider (e.g. Notion-Version). */
  headers: Record<string, string>;
  /**
   * Reshapes a token endpoint answer that departs from RFC 6749 (errors sent with HTTP 200,
   * the token nested, provider-specific error codes) into the RFC shape, so one reader maps
   * every provider onto a TokenSet or a PlugboardError. The original body stays the `raw`.
   */
  normalizeTokenResponse?(res: ProviderResponse): TokenAnswer;
  /**
   * The grant's further tokens (`TokenSet.additionalTokens`), by name: each reads its token out
   * of a code exchange's answer, and out of the answer to its own refresh, in the RFC shape
   * (null: the answer carries none). Each is refreshed at the token endpoint with its own
   * refresh token.
   */
  additionalTokens?: Record<string, (res: ProviderResponse) => TokenAnswer | null>;
  /**
   * When a token answer carries no `expires_in`, asks the provider when the access token
   * expires (Salesforce's introspection); null when it cannot tell. Called by the engine after
   * every exchange and refresh that left the expiry unknown.
   */
  tokenExpiry?(tokens: TokenSet, ctx: ProviderCallContext): Promise<Date | null>;
  /**
   * How to verify the OpenID Connect `id_token` an `openid` request gets (engines/id-token.ts):
   * the JWKS endpoint and the `iss` expected (both resolved like endpoints: in mock mode on the
   * mock's base URL), plus further `iss` spellings a live provider uses. `notVerified` says why
   * a provider's id_token is kept sealed with the raw token response and not relied on; a
   * provider whose mock signs one must say one or the other (the conformance suite checks).
   */
  idToken?:
    | { jwks: EndpointTemplate; issuer: EndpointTemplate; liveIssuerAliases?: readonly string[] }
    | { notVerified: string };
  /** Reads the account from the token response (and the provider's identity endpoint). */
  identify(tokens: TokenSet, ctx: ProviderCallContext): Promise<Account>;
  /** Revokes the grant at the provider; absent where the provider has no revocation. */
  revoke?(tokens: TokenSet, ctx: ProviderCallContext): Promise<void>;
}

/**
 * Telegram: a user account signed in through MTProto's own login (phone code + 2FA password, or
 * QR), run by core's Telegram gateway rather than an OAuth engine. Nothing here is OAuth: no
 * endpoints, no tokens, no redirect.
 */
export interface TelegramProvider extends ProviderCommon {
  authMode: 'telegram';
}

/**
 * An account connected with credentials the user types (an API key, a bot token) instead of a
 * redirect: the fields are a zod object (each field's `.meta()` says label, help, placeholder,
 * secret), checked first, then verified by a call to the provider before anything is stored.
 * Written with `defineApiKeyProvider` (modes/api-key/define.ts).
 */
export interface ApiKeyProvider extends ProviderCommon {
  authMode: 'api_key';
  /** The form: field name → zod string schema with `ApiKeyFieldMeta`. Parsing canonicalizes. */
  fields: z.ZodObject<Record<string, z.ZodType<string, string>>>;
  /**
   * Calls the provider with the parsed values and reads the account they belong to. Throws
   * CREDENTIALS_REJECTED (at the secret field) when the provider refuses them.
   */
  verify(values: Record<string, string>, ctx: ProviderCallContext): Promise<Account>;
  /** Revokes the key at the provider; absent where the provider has no API for it. */
  revoke?(values: Record<string, string>, ctx: ProviderCallContext): Promise<void>;
}

/** What a field of an `ApiKeyProvider`'s form says about itself (`z.string().meta({...})`). */
export interface ApiKeyFieldMeta {
  label: string;
  help?: string;
  placeholder?: string;
  secret: boolean;
}

/** Listed in the catalog, not connectable yet. */
export interface ComingSoonProvider extends ProviderCommon {
  authMode: 'oauth2' | 'telegram' | 'api_key';
  comingSoon: true;
}

/** What `getProvider` returns: the providers the OAuth code paths can run. */
export type ProviderDefinition = OAuth2Provider;
export type ConnectableProvider = OAuth2Provider | TelegramProvider | ApiKeyProvider;
export type CatalogEntry = ConnectableProvider | ComingSoonProvider;

export function toSummary(p: CatalogEntry): ProviderSummary {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    color: p.color,
    authMode: p.authMode,
    availability: 'comingSoon' in p ? 'coming_soon' : 'available',
    inputs: p.inputs.map((i) => ({ ...i, secret: i.secret ?? false })),
    brand: p.brand ?? null,
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
