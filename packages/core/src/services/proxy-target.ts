import { PlugboardError, type ConnectionMetadata } from '@plugboard/contracts';
import {
  hostAllowed,
  type HttpProxySpec,
  type IntegrationConfig,
  type ProxyCredentials,
} from '@plugboard/providers';

/**
 * Where a proxied request goes, built so that the caller can choose only the path below the
 * provider's API base: the scheme, host and port come from the provider folder's `proxy.ts`
 * and the connection (Shopify's shop, Salesforce's instance), and are checked against the
 * folder's host allow-list (live) or the mock's prefix (mock) before anything is sent.
 */
export interface ProxyTarget {
  url: URL;
  /** The provider's auth headers and default headers (the caller's are merged by the service). */
  authHeaders: Record<string, string>;
  defaultHeaders: Record<string, string>;
  /** The URL's path holds a secret (a bot token, say): never log or report it. */
  secretInPath: boolean;
}

/** RFC 3986 `pchar` plus `/`: anything else in a path (spaces, `\`, controls, `#`) is refused. */
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;
/** A query as it travels: no spaces, controls or fragment (`#`). */
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?[\]|^`{}"<>]*$/;
const MAX_PATH = 4096;

const refused = (message: string) => new PlugboardError('PROXY_TARGET_REFUSED', message);
const invalid = (message: string) =>
  new PlugboardError('VALIDATION_FAILED', message, { field: 'path' });

/**
 * Checks the caller's path (still percent-encoded, as it arrived; without its query) segment
 * by segment: no empty segment (so no `//host`), no `.` or `..` (also percent-encoded), no
 * backslash, no NUL. What passes is appended to the base's path, never resolved against it.
 */
export function checkProxyPath(rawPath: string): string {
  if (rawPath.length === 0) throw invalid("Give the provider API's path after the connection id.");
  if (rawPath.length > MAX_PATH) throw invalid(`The path is longer than ${MAX_PATH} characters.`);
  if (!PATH_CHARS.test(rawPath)) {
    throw invalid('The path has characters a URL path cannot carry; percent-encode them.');
  }
  const segments = rawPath.split('/');
  // A trailing slash (`users/`) is a path some APIs use; an empty segment anywhere else is not.
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalid('The path has a malformed percent-encoding.');
    }
    if (segment === '') {
      throw invalid('The path has an empty segment (`//`); other hosts cannot be reached.');
    }
    if (decoded === '.' || decoded === '..') {
      throw invalid('The path may not contain `.` or `..` segments.');
    }
    if (/[\\\0]/.test(decoded)) throw invalid('The path may not contain `\\` or NUL.');
  }
  return rawPath;
}

export function checkProxyQuery(rawQuery: string): string {
  if (rawQuery.length > MAX_PATH || !QUERY_CHARS.test(rawQuery)) {
    throw invalid('The query string has characters a URL cannot carry; percent-encode them.');
  }
  return rawQuery;
}

/** The URL and auth for one proxied request, or PROXY_TARGET_REFUSED / VALIDATION_FAILED. */
export function resolveProxyTarget(args: {
  spec: HttpProxySpec;
  config: IntegrationConfig;
  metadata: ConnectionMetadata;
  credentials: ProxyCredentials;
  rawPath: string;
  rawQuery: string;
}): ProxyTarget {
  const { spec, config } = args;
  const path = checkProxyPath(args.rawPath);
  const query = args.rawQuery === '' ? '' : `?${checkProxyQuery(args.rawQuery)}`;
  let base: URL;
  try {
    base = new URL(spec.base({ config, metadata: args.metadata }));
  } catch {
    throw refused("This connection's provider API address is not valid.");
  }
  checkBase(spec, config, base);
  const auth = spec.auth(args.credentials);
  const prefix = auth.secretPathPrefix ?? '';
  const basePath = base.pathname.replace(/\/+$/, '');
  // Concatenated below the base's own path: the caller's path cannot climb out of it or pick
  // another host (checked above), and the result is checked once more as a URL.
  const url = new URL(`${base.origin}${basePath}${prefix}/${path}${query}`);
  if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}${prefix}/`)) {
    throw refused('The path leaves the provider API; only paths below it can be reached.');
  }
  return {
    url,
    authHeaders: auth.headers ?? {},
    defaultHeaders: spec.defaultHeaders ?? {},
    secretInPath: auth.secretPathPrefix !== undefined,
  };
}

/**
 * Live: https on one of the provider's own hosts, default port, no user info. Mock: the mock
 * server's origin and this provider's prefix on it (the mock folds every host under it).
 */
function checkBase(spec: HttpProxySpec, config: IntegrationConfig, base: URL): void {
  if (base.username !== '' || base.password !== '') {
    throw refused("This connection's provider API address carries credentials; refused.");
  }
  if (config.mode === 'mock') {
    const mock = new URL(config.baseUrl.replace(/\{\w+\}/g, 'x'));
    const prefix = `/${mock.pathname.split('/')[1] ?? ''}`;
    if (base.origin !== mock.origin || !`${base.pathname}/`.startsWith(`${prefix}/`)) {
      throw refused(
        `This connection's provider API address is not on the mock provider server; refused.`,
      );
    }
    return;
  }
  if (base.protocol !== 'https:' || base.port !== '' || !hostAllowed(spec, base.hostname)) {
    throw refused(
      `${base.hostname} is not one of this provider's API hosts, so Plugboard will not send the connection's credentials there.`,
    );
  }
}
