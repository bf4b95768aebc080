import type { ProviderId } from '@plugboard/contracts';
import type { AuthModes, ProviderHttp } from '@plugboard/providers';
import type { Clock } from './clock';
import type { Keyring } from './crypto';
import type { Telemetry } from './telemetry';
import type { RetentionSettings } from './services/retention';
import type { IntegrationEnv, MockIntegration } from './services/integrations';
import type { ResolveHost } from './services/webhook-egress';

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
  /**
   * Let webhooks reach loopback, private, link-local and other non-public addresses
   * (services/webhook-egress.ts). Absent = refused; the server sets it from
   * WEBHOOK_ALLOW_PRIVATE_NETWORKS (default: allowed outside production).
   */
  allowPrivateWebhookNetworks?: boolean;
  /** How long finished rows are kept (services/retention.ts); absent = DEFAULT_RETENTION. */
  retention?: RetentionSettings;
  /** Lifetime of an API client's access token (POST /oauth/token); absent = 3600. */
  accessTokenTtlSeconds?: number;
}

/** Everything the services need besides the EntityManager, built once in the composition root. */
export interface CoreDeps {
  keyring: Keyring;
  clock: Clock;
  http: ProviderHttp;
  /**
   * What the environment sets for a provider, and where its mock lives; the configuration in
   * effect (with what `server.integrations` stored) is `integrationConfig` (services/integrations.ts).
   */
  integrationEnv(providerId: ProviderId): IntegrationEnv;
  mockIntegration(providerId: ProviderId): MockIntegration;
  settings: CoreSettings;
  logger: Logger;
  /** The auth modes with their own dependencies (`createAuthModes`, packages/providers/src/modes). */
  modes: AuthModes;
  /** In-flight credential refreshes of this process, by connection id (single-flight). */
  refreshes: Map<string, Promise<unknown>>;
  /** Metrics of flows, refreshes and webhook deliveries (telemetry.ts); none when absent. */
  telemetry?: Telemetry;
  /** DNS for webhook hosts (default: the system's `dns.lookup`); tests inject their own. */
  resolveHost?: ResolveHost;
}
