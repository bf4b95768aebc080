import type { ConnectionMetadata } from '@plugboard/contracts';
import { resolveEndpoint } from './engines/oauth2';
import type { EndpointTemplate, IntegrationConfig } from './types';

/**
 * How the proxy (`ANY /v1/proxy/{connectionId}/{path…}`, packages/core/src/services/proxy.ts)
 * reaches a provider's API for one connection: written once per provider folder as `proxy.ts`
 * (`export const proxy`) and collected by scripts/generate-registries.ts into
 * proxy.generated.ts. The core names no provider: every fact about hosts and auth is here.
 */
export type ProxySpec = HttpProxySpec | UnsupportedProxySpec;

export interface HttpProxySpec {
  kind: 'http';
  /**
   * The hosts this provider's API may be reached on in live mode (exact names, or patterns for
   * per-tenant hosts such as `<shop>.myshopify.com`). A target outside the list is refused
   * before anything is sent. In mock mode the only allowed target is the mock's own prefix.
   */
  liveHosts: readonly (string | RegExp)[];
  /** The API base for this connection: a path on the integration's base URL or a live host. */
  base(ctx: ProxyBaseContext): string;
  /** Puts the connection's credentials on a request, the way this provider wants them. */
  auth(credentials: ProxyCredentials): ProxyAuth;
  /** Headers sent when the caller sends none of that name (Notion-Version). */
  defaultHeaders?: Record<string, string>;
}

/** A mode whose connections cannot be proxied over HTTP (Telegram's MTProto sessions). */
export interface UnsupportedProxySpec {
  kind: 'unsupported';
  /** Why, and what to do instead, for the error message. */
  reason: string;
}

export interface ProxyBaseContext {
  config: IntegrationConfig;
  /** The connection's stored metadata (its `providerId` says which schema it follows). */
  metadata: ConnectionMetadata;
}

/** What the proxy has of a connection's credentials (the credentials DTO's shape). */
export interface ProxyCredentials {
  /** oauth2: the access token; api_key: the secret field's value. */
  accessToken: string;
  /** api_key: every field the user typed. */
  values?: Record<string, string>;
}

export interface ProxyAuth {
  headers?: Record<string, string>;
  /**
   * A path put before the caller's path, holding a secret (Telegram's `/bot<token>`): the
   * proxy then never logs or reports the target's path.
   */
  secretPathPrefix?: string;
}

/** `Authorization: Bearer <token>` (RFC 6750 §2.1), what most providers take. */
export const bearerAuth = (c: ProxyCredentials): ProxyAuth => ({
  headers: { authorization: `Bearer ${c.accessToken}` },
});

/** A base that is one of the integration's endpoints (a path on its base URL, or a live host). */
export function endpointBase(
  template: EndpointTemplate,
  inputs?: (metadata: ConnectionMetadata) => Record<string, string>,
): (ctx: ProxyBaseContext) => string {
  return ({ config, metadata }) => resolveEndpoint(template, config, inputs?.(metadata) ?? {});
}

/**
 * A base the provider named for this connection (Salesforce's `instance_url`, Zoom's
 * `api_url`), stored in its metadata. In mock mode the mock names its own prefix, which the
 * proxy's mock-mode check enforces like any other target.
 */
export function namedBase(
  pick: (metadata: ConnectionMetadata) => string | null | undefined,
  fallback: EndpointTemplate,
): (ctx: ProxyBaseContext) => string {
  return ({ config, metadata }) => pick(metadata) ?? resolveEndpoint(fallback, config);
}

/** Whether a live host is on a spec's list (exact, case-insensitive, or an anchored pattern). */
export function hostAllowed(spec: HttpProxySpec, hostname: string): boolean {
  const host = hostname.toLowerCase();
  return spec.liveHosts.some((h) => (typeof h === 'string' ? h === host : h.test(host)));
}
