import {
  ConnectionMetadataSchema,
  PlugboardError,
  type CredentialsDto,
  type ProviderId,
} from '@plugboard/contracts';
import type { Em } from '@plugboard/db';
import {
  findCatalogEntry,
  proxies,
  rateLimitResetSeconds,
  type HttpProxySpec,
} from '@plugboard/providers';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CoreDeps } from '../deps';
import { getCredentials, markNeedsReauth } from './credentials-service';
import { integrationConfig } from './integrations';
import { limitResponse, readProxyBody, type ProxyBody } from './proxy-body';
import { resolveProxyTarget, type ProxyTarget } from './proxy-target';
import { jsonOf, readRow } from './raw-rows';

/**
 * The API proxy (`ANY /v1/proxy/{connectionId}/{path…}`): forwards a host backend's request to
 * the provider's API for one connection with that connection's credentials, which the backend
 * never sees. Hosts and auth come from the provider folder (`proxy.ts`); refresh is the one
 * single-flight/lease path of credentials-service.ts.
 */
export interface ProxyLimits {
  /** A request body up to this size is kept so it can be sent again after a refresh. */
  replayBytes: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
}

/**
 * 1 MiB replay buffer: most API calls (JSON) fit and get the 401 → refresh → retry; uploads
 * above it stream with no copy held, so memory per request stays bounded. 50 MiB requests and
 * 100 MiB responses: above the providers' own single-request limits for the APIs proxied
 * (Notion's 20 MB single-part upload, Drive's 5 MB simple upload), so only abuse hits them,
 * and one call cannot hold a connection for unbounded time.
 */
export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  replayBytes: 1024 * 1024,
  maxRequestBytes: 50 * 1024 * 1024,
  maxResponseBytes: 100 * 1024 * 1024,
};

export interface ProxyRequest {
  connectionId: string;
  method: string;
  /** The path after the connection id, percent-encoded as it arrived, without the query. */
  rawPath: string;
  /** The query without `?` ('' for none), forwarded as is. */
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body as it arrives (null: none). */
  body: AsyncIterable<Buffer> | null;
  /** Told the connection's provider as soon as it is known (metrics label errors with it). */
  onProvider?: (providerId: ProviderId) => void;
}

export interface ProxyResponse {
  providerId: ProviderId;
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
  /** Whether the credentials were refreshed because the provider answered 401. */
  refreshed: boolean;
}

/** Never forwarded: hop-by-hop (RFC 9110 §7.6.1), our own credentials, cookies and routing. */
const REQUEST_DROP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'authorization',
  'cookie',
  'forwarded',
  'x-real-ip',
  'content-length',
  'expect',
]);
const RESPONSE_DROP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'strict-transport-security',
  'alt-svc',
]);

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export async function proxyRequest(
  em: Em,
  deps: CoreDeps,
  dispatcher: Dispatcher,
  req: ProxyRequest,
  limits: ProxyLimits = DEFAULT_PROXY_LIMITS,
): Promise<ProxyResponse> {
  const method = req.method.toUpperCase();
  if (!METHODS.has(method)) {
    throw new PlugboardError('VALIDATION_FAILED', `The proxy does not forward ${method} requests.`);
  }
  // A plain select of what the target needs (no entity: getCredentials reads the rest itself).
  const row = await readRow<{ provider_id: unknown; metadata: unknown }>(
    em,
    'select provider_id, metadata from connections where id = ?',
    [req.connectionId],
  );
  if (!row) throw new PlugboardError('NOT_FOUND', 'That connection does not exist or was removed.');
  const providerId = String(row.provider_id) as ProviderId;
  req.onProvider?.(providerId);
  const spec = proxySpecOf(providerId);
  const metadata = ConnectionMetadataSchema.parse(jsonOf(row.metadata));
  const config = await integrationConfig(em, deps, providerId);
  const credentials = await getCredentials(em, deps, { connectionId: req.connectionId });
  const targetFor = (c: CredentialsDto) =>
    resolveProxyTarget({
      spec,
      config,
      metadata,
      credentials: c,
      rawPath: req.rawPath,
      rawQuery: req.rawQuery,
    });
  let target = targetFor(credentials);
  const declared = Number(firstHeader(req.headers['content-length']));
  const body = await readProxyBody(method === 'GET' || method === 'HEAD' ? null : req.body, {
    replayLimit: limits.replayBytes,
    maxBytes: limits.maxRequestBytes,
    declaredLength: Number.isFinite(declared) ? declared : null,
  });
  const headers = forwardedHeaders(req.headers);

  const first = await send(dispatcher, method, target, headers, body, providerId);
  if (first.statusCode !== 401)
    return { providerId, ...fromUndici(first, limits, target), refreshed: false };
  if (body.kind === 'streamed') {
    // Not replayable: refresh, so the caller's own retry goes out with fresh credentials, and
    // answer the provider's 401 as it came.
    const fresh = await getCredentials(em.fork(), deps, {
      connectionId: req.connectionId,
      forceRefresh: true,
    }).catch(async (err: unknown) => {
      await first.body.dump();
      throw err;
    });
    return { providerId, ...fromUndici(first, limits, target), refreshed: fresh.refreshed };
  }
  await first.body.dump();
  const fresh = await getCredentials(em.fork(), deps, {
    connectionId: req.connectionId,
    forceRefresh: true,
  });
  target = targetFor(fresh);
  const second = await send(dispatcher, method, target, headers, body, providerId);
  if (second.statusCode === 401) {
    await second.body.dump();
    return rejectedTwice(em, deps, req.connectionId, providerId);
  }
  return { providerId, ...fromUndici(second, limits, target), refreshed: fresh.refreshed };
}

function proxySpecOf(providerId: ProviderId): HttpProxySpec {
  const spec = proxies[providerId];
  if (spec.kind === 'unsupported') throw new PlugboardError('PROVIDER_NOT_AVAILABLE', spec.reason);
  return spec;
}

async function rejectedTwice(
  em: Em,
  deps: CoreDeps,
  connectionId: string,
  providerId: ProviderId,
): Promise<never> {
  await markNeedsReauth(em.fork(), deps, connectionId, 'provider refused the credentials (401)');
  const name = findCatalogEntry(providerId)?.name ?? providerId;
  throw new PlugboardError(
    'CONNECTION_NEEDS_REAUTH',
    `${name} refused this connection's credentials, also after a refresh. The user must connect the account again.`,
  );
}

type UndiciAnswer = Dispatcher.ResponseData;

async function send(
  dispatcher: Dispatcher,
  method: string,
  target: ProxyTarget,
  callerHeaders: Record<string, string | string[]>,
  body: ProxyBody,
  providerId: ProviderId,
): Promise<UndiciAnswer> {
  const headers: Record<string, string | string[]> = { ...callerHeaders };
  for (const [name, value] of Object.entries(target.defaultHeaders)) {
    if (!(name in headers)) headers[name] = value;
  }
  Object.assign(headers, target.authHeaders);
  if (body.kind === 'buffered') headers['content-length'] = String(body.bytes.length);
  try {
    return await dispatcher.request<null>({
      origin: target.url.origin,
      path: `${target.url.pathname}${target.url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body:
        body.kind === 'none'
          ? null
          : body.kind === 'buffered'
            ? body.bytes
            : Readable.from(body.chunks, { objectMode: false }),
    });
  } catch (cause) {
    if (cause instanceof PlugboardError) throw cause;
    const name = findCatalogEntry(providerId)?.name ?? providerId;
    const code = (cause as { code?: unknown } | null)?.code;
    const timedOut = typeof code === 'string' && code.includes('TIMEOUT');
    throw new PlugboardError(
      'PROVIDER_UNAVAILABLE',
      timedOut
        ? `${name} did not answer in time. Try again in a few minutes.`
        : `${name} could not be reached. Try again in a few minutes.`,
    );
  }
}

function fromUndici(
  res: UndiciAnswer,
  limits: ProxyLimits,
  target: ProxyTarget,
): Omit<ProxyResponse, 'providerId' | 'refreshed'> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || RESPONSE_DROP.has(name)) continue;
    // A redirect on a path that holds a secret could carry it back in Location.
    if (name === 'location' && target.secretInPath) continue;
    headers[name] = value;
  }
  // The proxy promises Retry-After on a 429 (README). Calendly sends X-RateLimit-Reset instead
  // (seconds until the window resets, no Retry-After:
  // https://developer.calendly.com/api-docs/overview/rate-limits): derive one from it, as
  // provider calls do, and keep the provider's own headers as they came.
  if (res.statusCode === 429 && headers['retry-after'] === undefined) {
    const wait = rateLimitResetSeconds(firstHeader(headers['x-ratelimit-reset']));
    if (wait !== null) headers['retry-after'] = String(wait);
  }
  return {
    status: res.statusCode,
    headers,
    body: limitResponse(res.body, limits.maxResponseBytes),
  };
}

function forwardedHeaders(
  incoming: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const named = new Set(
    (firstHeader(incoming['connection']) ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [rawName, value] of Object.entries(incoming)) {
    const name = rawName.toLowerCase();
    if (value === undefined || REQUEST_DROP.has(name) || named.has(name)) continue;
    if (name.startsWith('x-forwarded-') || name.startsWith('x-plugboard-')) continue;
    out[name] = value;
  }
  return out;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
