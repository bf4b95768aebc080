import { PROVIDER_IDS, type ProviderId } from '@plugboard/contracts';
import { findCatalogEntry } from '@plugboard/providers';
import type { RetentionSettings } from '@plugboard/core';
import { z } from 'zod';

const retentionDays = (days: number) =>
  z.coerce
    .number()
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(36_500)
    .default(days);

/**
 * The only place that reads process.env. Everything has a working development default; in
 * production the server refuses to start without an encryption key or with a non-https URL.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  WEB_URL: z.url().optional(),
  MOCK_PROVIDERS_URL: z.url().default('http://127.0.0.1:4010'),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  WEB_DIST_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (pino-pretty, for people) by default in development; JSON lines otherwise. */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
  PLUGBOARD_ENCRYPTION_KEYS: z.string().optional(),
  PLUGBOARD_BOOTSTRAP_API_KEY: z.string().optional(),
  /**
   * At most 50 s: a refresh holds its lease for 60 s (LEASE_MS in
   * packages/core/src/services/credentials-service.ts); a provider call that could outlast it
   * would let another instance take the lease and use a rotating refresh token twice.
   */
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(50_000).default(10_000),
  CONNECT_ALLOWED_ORIGINS: z.string().optional(),
  /** Request limits; only benchmarks turn them off. */
  RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  /** Requests a minute per client IP: the Connect UI, browser routes, unknown API keys. */
  RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Requests a minute per API key on the server API (counted by the key's hash). */
  RATE_LIMIT_PER_API_KEY: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  /** Behind a load balancer: trust its X-Forwarded-* headers (client address, https). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** How often pending webhook deliveries are sent; 0 turns the loop off (tests drive it). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** How often the background refresh looks for due tokens; 0 turns it off (tests that drive it). */
  REFRESH_POLL_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Prometheus metrics at GET /metrics (apps/server/src/observability): off unless `on`. */
  METRICS: z.enum(['on', 'off']).default('off'),
  /** When set, /metrics wants `Authorization: Bearer <this>`. */
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16–256 visible ASCII characters (no spaces)')
    .optional(),
  /** OTLP/HTTP collector base URL (spans go to `<this>/v1/traces`): traces are on when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .url({ error: 'must be an http(s) URL such as http://otel:4318' })
    .optional(),
  /** Headers for the collector, `key=value,key2=value2` (values URL-encoded), e.g. an API key. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(100).default('plugboard'),
  /**
   * Let webhooks reach loopback/private/link-local/metadata addresses. Default: allowed outside
   * production (local receivers), refused in production (packages/core/src/services/webhook-egress.ts).
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).optional(),
  /** Retention windows in days (packages/core/src/services/retention.ts). */
  RETENTION_WEBHOOK_DELIVERIES_DAYS: retentionDays(30),
  RETENTION_AUTH_ATTEMPTS_DAYS: retentionDays(1),
  RETENTION_TELEGRAM_FLOWS_DAYS: retentionDays(1),
  RETENTION_AUDIT_DAYS: retentionDays(365),
  /** Lifetime of an API client's access token from POST /oauth/token (1 min – 24 h). */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Wrong client secrets a minute per client IP at POST /oauth/token before it answers 429. */
  OAUTH_TOKEN_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Telegram app credentials (my.telegram.org): both set = live mode through gramjs. */
  TELEGRAM_API_ID: z.coerce.number().int().positive().optional(),
  TELEGRAM_API_HASH: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'must be the 32 hex digits from my.telegram.org')
    .optional(),
  /** Theme of the Connect UI: the host app's name, accent colour and logo. */
  PLUGBOARD_BRAND_NAME: z
    .string()
    .trim()
    .min(1)
    .max(60, 'must be at most 60 characters')
    .optional(),
  PLUGBOARD_BRAND_ACCENT: z
    .string()
    .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a hex colour such as #0f766e')
    .optional(),
  PLUGBOARD_BRAND_LOGO_URL: z
    .url({ error: 'must be an absolute URL such as https://…' })
    .optional(),
});

export interface IntegrationEnv {
  mode: 'mock' | 'live';
  clientId: string;
  clientSecret: string;
  /** Overrides the provider's live base URL (e.g. a sandbox host). */
  baseUrl: string | undefined;
  /** `<KEY>_WEBHOOK_SECRET`: what the provider signs its events with (Stripe, Slack). */
  webhookSecret: string | undefined;
  /**
   * What the environment itself set (`<KEY>_MODE`; `<KEY>_CLIENT_ID` + `_CLIENT_SECRET`, both):
   * these win over what `server.integrations.upsert` stored (packages/core/src/services/integrations.ts).
   */
  set: IntegrationFromEnv;
}

export interface IntegrationFromEnv {
  mode: 'mock' | 'live' | undefined;
  client: { clientId: string; clientSecret: string } | undefined;
}

/** Telegram has no OAuth client: an MTProto app id / hash, used by the gateway. */
export interface TelegramEnv {
  mode: 'mock' | 'live';
  apiId: number;
  apiHash: string;
}

export interface ServerEnv {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  webUrl: string;
  mockProvidersUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  webDistDir: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  logFormat: 'pretty' | 'json';
  encryptionKeys: string | undefined;
  bootstrapApiKey: string | undefined;
  providerTimeoutMs: number;
  extraAllowedOrigins: string[];
  rateLimit: boolean;
  rateLimitPerIpPerMinute: number;
  rateLimitPerApiKeyPerMinute: number;
  trustProxy: boolean;
  webhookPollMs: number;
  refreshPollMs: number;
  metrics: MetricsEnv;
  /** null: no traces (OTEL_EXPORTER_OTLP_ENDPOINT unset). */
  tracing: TracingEnv | null;
  webhookAllowPrivateNetworks: boolean;
  retention: RetentionSettings;
  accessTokenTtlSeconds: number;
  oauthTokenFailuresPerMinute: number;
  integrations: Record<ProviderId, IntegrationEnv>;
  telegram: TelegramEnv;
  brand: BrandEnv;
}

export interface MetricsEnv {
  enabled: boolean;
  /** The Bearer token /metrics asks for; undefined: none asked. */
  token: string | undefined;
}

export interface TracingEnv {
  /** Where the OTLP/HTTP exporter posts spans (JSON). */
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
}

/**
 * `OTEL_EXPORTER_OTLP_HEADERS` as the OpenTelemetry spec defines it: comma-separated
 * `key=value` pairs, values URL-encoded
 * (https://opentelemetry.io/docs/specs/otel/protocol/exporter/#specifying-headers-via-environment-variables).
 */
function otlpHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',')) {
    if (!pair.trim()) continue;
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    let value: string | null = null;
    try {
      value = eq > 0 ? decodeURIComponent(pair.slice(eq + 1).trim()) : null;
    } catch {
      value = null;
    }
    if (!key || value === null || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(key)) {
      // Never the value: it is usually a credential.
      throw new Error(
        `Invalid environment:\n  OTEL_EXPORTER_OTLP_HEADERS: must be key=value pairs separated by commas (entry ${JSON.stringify(key || '(empty)')})`,
      );
    }
    headers[key.toLowerCase()] = value;
  }
  return headers;
}

/** The host's theme for the Connect UI, as configured (the accent is checked when served). */
export interface BrandEnv {
  name: string | undefined;
  accent: string | undefined;
  logoUrl: string | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The logo is loaded by the end user's browser, so it must come over https; plain http only from
 * this machine outside production, for local development.
 */
function logoUrlProblem(raw: string | undefined, nodeEnv: string): string | null {
  if (raw === undefined) return null;
  const url = new URL(raw);
  if (url.username || url.password) return 'PLUGBOARD_BRAND_LOGO_URL must not hold credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && nodeEnv !== 'production') {
    return null;
  }
  return `PLUGBOARD_BRAND_LOGO_URL must be an https URL${nodeEnv === 'production' ? '' : ' (http only on localhost during development)'}, got ${url.protocol}//${url.host}`;
}

export const envKeyFor = (id: ProviderId) => id.toUpperCase().replace(/-/g, '_');

/** The mock's dev clients follow this convention (mocks/providers/src/core/clients.ts): not secrets. */
export const mockDevClient = (id: string) => ({
  clientId: `plugboard-dev-${id}`,
  clientSecret: `mock-secret-${id}-dev`,
});

export function loadEnv(source: Record<string, string | undefined> = process.env): ServerEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const logoProblem = logoUrlProblem(e.PLUGBOARD_BRAND_LOGO_URL, e.NODE_ENV);
  if (logoProblem) throw new Error(`Invalid environment:\n  ${logoProblem}`);
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const webUrl = (e.WEB_URL ?? publicUrl).replace(/\/$/, '');
  const integrations = {} as Record<ProviderId, IntegrationEnv>;
  for (const id of PROVIDER_IDS) {
    const key = envKeyFor(id);
    const clientId = source[`${key}_CLIENT_ID`];
    const clientSecret = source[`${key}_CLIENT_SECRET`];
    const forcedMock = source[`${key}_MODE`] === 'mock';
    const modeVar = source[`${key}_MODE`];
    const set: IntegrationFromEnv = {
      mode: modeVar === 'mock' || modeVar === 'live' ? modeVar : undefined,
      client: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    };
    // A provider the user types credentials for has no Plugboard client: `<KEY>_MODE=live`
    // alone points it at the real provider.
    const typed = findCatalogEntry(id)?.authMode === 'api_key';
    const live = typed
      ? source[`${key}_MODE`] === 'live'
      : Boolean(clientId && clientSecret) && !forcedMock;
    integrations[id] = live
      ? {
          mode: 'live',
          clientId: clientId ?? '',
          clientSecret: clientSecret ?? '',
          baseUrl: source[`${key}_BASE_URL`],
          set,
          webhookSecret: source[`${key}_WEBHOOK_SECRET`],
        }
      : {
          mode: 'mock',
          ...mockDevClient(id),
          baseUrl: source[`${key}_BASE_URL`],
          set,
          // What the mock's control API signs events with unless told otherwise (not a secret).
          // Never a default in production, where a stored integration may be live.
          webhookSecret:
            source[`${key}_WEBHOOK_SECRET`] ??
            (e.NODE_ENV === 'production' ? undefined : `mock-webhook-secret-${id}-dev`),
        };
  }
  const env: ServerEnv = {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    webUrl,
    mockProvidersUrl: e.MOCK_PROVIDERS_URL.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    webDistDir: e.WEB_DIST_DIR,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'development' ? 'pretty' : 'json'),
    encryptionKeys: e.PLUGBOARD_ENCRYPTION_KEYS,
    bootstrapApiKey: e.PLUGBOARD_BOOTSTRAP_API_KEY,
    providerTimeoutMs: e.PROVIDER_TIMEOUT_MS,
    extraAllowedOrigins: (e.CONNECT_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    rateLimit: e.RATE_LIMIT === 'on',
    rateLimitPerIpPerMinute: e.RATE_LIMIT_PER_IP,
    rateLimitPerApiKeyPerMinute: e.RATE_LIMIT_PER_API_KEY,
    trustProxy: e.TRUST_PROXY === 'true',
    webhookPollMs: e.WEBHOOK_POLL_MS,
    refreshPollMs: e.REFRESH_POLL_MS,
    metrics: { enabled: e.METRICS === 'on', token: e.METRICS_TOKEN },
    tracing: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          // The spec's rule for the signal path (…/v1/traces) on a base endpoint.
          tracesUrl: `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`,
          headers: otlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
          serviceName: e.OTEL_SERVICE_NAME,
        }
      : null,
    webhookAllowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS
      ? e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true'
      : e.NODE_ENV !== 'production',
    retention: {
      webhookDeliveriesDays: e.RETENTION_WEBHOOK_DELIVERIES_DAYS,
      authAttemptsDays: e.RETENTION_AUTH_ATTEMPTS_DAYS,
      // Named for the one multi-step sign-in there is; kept so existing configs stay valid.
      connectFlowsDays: e.RETENTION_TELEGRAM_FLOWS_DAYS,
      auditEntriesDays: e.RETENTION_AUDIT_DAYS,
    },
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    oauthTokenFailuresPerMinute: e.OAUTH_TOKEN_FAILURES_PER_MINUTE,
    integrations,
    telegram:
      e.TELEGRAM_API_ID !== undefined &&
      e.TELEGRAM_API_HASH !== undefined &&
      source['TELEGRAM_MODE'] !== 'mock'
        ? { mode: 'live', apiId: e.TELEGRAM_API_ID, apiHash: e.TELEGRAM_API_HASH }
        : // The mock accepts any well-formed pair unless one is registered: not a secret.
          {
            mode: 'mock',
            apiId: e.TELEGRAM_API_ID ?? 100001,
            apiHash: e.TELEGRAM_API_HASH ?? '0123456789abcdef0123456789abcdef',
          },
    brand: {
      name: e.PLUGBOARD_BRAND_NAME,
      accent: e.PLUGBOARD_BRAND_ACCENT,
      logoUrl: e.PLUGBOARD_BRAND_LOGO_URL,
    },
  };
  assertProductionReady(env);
  return env;
}

export function assertProductionReady(env: ServerEnv): void {
  if (env.nodeEnv !== 'production') return;
  const problems: string[] = [];
  if (!env.encryptionKeys) {
    problems.push(
      'PLUGBOARD_ENCRYPTION_KEYS is required in production (e.g. "k1:<32 bytes base64>")',
    );
  }
  for (const [name, url] of [
    ['PUBLIC_URL', env.publicUrl],
    ['WEB_URL', env.webUrl],
  ] as const) {
    if (new URL(url).protocol !== 'https:') {
      problems.push(`${name} must be https in production (OAuth redirect URIs are built from it)`);
    }
  }
  if (problems.length) throw new Error(`Refusing to start:\n  ${problems.join('\n  ')}`);
}
