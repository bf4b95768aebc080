import type { ProviderId } from '@plugboard/contracts';
import type { AuthModes, IntegrationConfig, ProviderHttp } from '@plugboard/providers';
import type { Clock } from './clock';
import type { Keyring } from './crypto';

/** Structured logger (pino-compatible). Never pass a token, code, state or secret to it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CoreSettings {
  /** Origin Plugboard is reached at; redirect URIs are `${publicUrl}/oauth/callback/:id`. */
  publicUrl: string;
  /** Where the Connect UI lives (same as publicUrl unless the UI is served elsewhere). */
  webUrl: string;
  sessionTtlSeconds: number;
  attemptTtlSeconds: number;
  connectTokenDefaultTtlSeconds: number;
  /** Development only: accept http redirect URLs from the server API. */
  allowInsecureRedirects: boolean;
}

/** Everything the services need besides the EntityManager, built once in the composition root. */
export interface CoreDeps {
  keyring: Keyring;
  clock: Clock;
  http: ProviderHttp;
  integration(providerId: ProviderId): IntegrationConfig;
  settings: CoreSettings;
  logger: Logger;
  /** The auth modes with their own dependencies (`createAuthModes`, packages/providers/src/modes). */
  modes: AuthModes;
  /** In-flight credential refreshes of this process, by connection id (single-flight). */
  refreshes: Map<string, Promise<unknown>>;
}
