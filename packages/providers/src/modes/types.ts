import type { ConnectionMetadata, CredentialsDto } from '@plugboard/contracts';
import type { ProviderHttp } from '../http';
import type { CatalogEntry, IntegrationConfig, TokenSet } from '../types';

/**
 * The auth modes (packages/providers/src/modes/<mode>/). A mode owns everything that differs
 * between ways of connecting an account: how a connect starts and proceeds, how the provider
 * verifies what it is given, how the account is identified, and the typed credentials it leaves
 * behind — how they are refreshed, revoked and handed to a backend. Core persists and
 * orchestrates; it reaches a mode only through `AuthModes` (modes/index.ts), never by name.
 * (The Nango lesson: one engine per mode chosen by a discriminated union, not `if (mode === …)`
 * chains in a controller.)
 */

/** oauth2: the provider's token response, as the OAuth engine reads it. */
export type OAuth2Credentials = { type: 'oauth2' } & TokenSet;

/** telegram: the MTProto session (gramjs StringSession) of a signed-in device. */
export interface TelegramCredentials {
  type: 'telegram';
  session: string;
}

/** api_key: every field the user typed (secret ones included), as the provider verified them. */
export interface ApiKeyCredentials {
  type: 'api_key';
  values: Record<string, string>;
}

/** What a connection stores (sealed), one shape per mode; `type` discriminates. */
export type Credentials = OAuth2Credentials | TelegramCredentials | ApiKeyCredentials;
export type CredentialsType = Credentials['type'];

/** What a mode needs to talk to a connection's provider. */
export interface ModeCallContext {
  http: ProviderHttp;
  config: IntegrationConfig;
  /** The stored connection's metadata (per-input hosts such as Shopify's store are in it). */
  metadata: ConnectionMetadata;
  now: Date;
}

/** The part of `server.connections.credentials` a mode fills (core adds ids and `refreshed`). */
export type CredentialsBody<C extends Credentials = Credentials> = Omit<
  Extract<CredentialsDto, { type: C['type'] }>,
  'connectionId' | 'providerId' | 'refreshed'
>;

/**
 * The lifecycle every mode implements for a stored connection. What starts a connect differs
 * too much to share one signature (a redirect, a dialog of steps, a form), so each mode module
 * adds its own `start` / `steps` / `verify` / `identity` beside these (see the mode folders).
 */
export interface AuthModeLifecycle<C extends Credentials> {
  readonly type: C['type'];
  /**
   * Whether a reconnect link can promise the same account: the mode's connect can tell that it
   * landed on the connection being renewed and refuse another one.
   */
  readonly reconnectsByLink: boolean;
  /**
   * Set where the mode's live/mock choice is the server environment's (these variables), not an
   * integration's setting; null where an integration chooses it.
   */
  readonly modeFromEnvironment: string | null;
  /**
   * Whether an integration of this mode is an app registered at the provider: configured with a
   * client id + secret and scopes, live only with a client. False where the user brings all the
   * provider needs (a session, a typed key).
   */
  readonly appClient: boolean;
  /** The scopes an `appClient` integration asks for when none are stored. */
  defaultScopes(entry: CatalogEntry): readonly string[];
  /** The provider inputs a stored connection was made with (Shopify's store), from its metadata. */
  inputsFromMetadata(entry: CatalogEntry, metadata: ConnectionMetadata): Record<string, string>;
  /**
   * The daily check of credentials that never expire: the identity call a connect makes, which
   * throws as it does there (a 401 means the grant is gone). Null where the mode has none.
   */
  readonly healthCheck:
    ((entry: CatalogEntry, credentials: C, ctx: ModeCallContext) => Promise<void>) | null;
  /** When the credentials stop working by themselves (null: only when revoked). */
  expiresAt(credentials: C): Date | null;
  scopes(credentials: C): string[];
  /** Whether `refresh` can renew these credentials (an OAuth refresh token, say). */
  refreshable(credentials: C): boolean;
  /**
   * New credentials for old ones (only called when `refreshable`). Throws a PlugboardError;
   * `GRANT_INVALID` means the grant is gone and the connection needs to be connected again.
   */
  refresh(entry: CatalogEntry, credentials: C, ctx: ModeCallContext): Promise<C>;
  /** Ends the grant at the provider; false where the provider has no way to (nothing sent). */
  revoke(entry: CatalogEntry, credentials: C, ctx: ModeCallContext): Promise<boolean>;
  /** What a backend gets to call the provider with. */
  toDto(entry: CatalogEntry, credentials: C): CredentialsBody<C>;
}
