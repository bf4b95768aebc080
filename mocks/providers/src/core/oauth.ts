import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RegisteredClient } from './clients';

/** Request parameters (query, JSON or form body) reduced to their string values. */
export type Params = Readonly<Record<string, string | undefined>>;

/**
 * Flattens a parsed query or body into strings. Non-string JSON values are dropped (a provider
 * would reject them as malformed, and dropping them makes the "missing" checks catch that).
 */
export function readParams(source: unknown): Params {
  if (typeof source !== 'object' || source === null) return {};
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'string') params[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') params[key] = value[0];
  }
  return params;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Parses `Authorization: Basic …`. RFC 6749 §2.3.1 has clients form-encode id and secret before
 * base64, so both are form-decoded here.
 */
export function parseBasicAuth(header: string | undefined): ClientCredentials | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

/** The bearer token of `Authorization: Bearer …`, if any. */
export function parseBearer(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
}

/** Constant-time comparison, so secret checks do not leak how many characters matched. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticateClient(
  client: RegisteredClient | undefined,
  credentials: ClientCredentials,
): client is RegisteredClient {
  return client !== undefined && safeEqual(client.clientSecret, credentials.clientSecret);
}

/** An unguessable opaque token, with the provider's recognisable prefix. */
export function randomToken(prefix = '', bytes = 24): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

/** A UUID derived from its inputs, for ids that must stay stable across runs (bot ids, …). */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `uri` with `params` added to its query, keeping any query it already has. */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

export type RedirectUriResolution =
  | { ok: true; redirectUri: string; /** whether the request named it */ sent: boolean }
  | { ok: false; reason: string };

/**
 * What a request that names no redirect URI gets: `only-registered` — the client's one
 * registered URI, an error if it has several (Notion and most providers); `first-registered` —
 * the first registered one (GitHub, Slack: the app's configured callback); `required` — an error.
 */
export type RedirectUriRule = 'only-registered' | 'first-registered' | 'required';

/**
 * Exact-match redirect URI check shared by every personality (no prefix, no trailing-slash
 * tolerance). An empty `redirect_uri` counts as none.
 */
export function resolveRedirectUri(
  client: RegisteredClient,
  requested: string | undefined,
  rule: RedirectUriRule = 'only-registered',
): RedirectUriResolution {
  if (requested === undefined || requested === '') {
    const [first, ...others] = client.redirectUris;
    if (rule === 'first-registered' && first !== undefined) {
      return { ok: true, redirectUri: first, sent: false };
    }
    if (rule === 'only-registered' && first !== undefined && others.length === 0) {
      return { ok: true, redirectUri: first, sent: false };
    }
    return {
      ok: false,
      reason:
        rule === 'only-registered'
          ? 'redirect_uri is required because the client has several (or no) redirect URIs.'
          : 'redirect_uri is required.',
    };
  }
  if (!client.redirectUris.includes(requested)) {
    return {
      ok: false,
      reason: `redirect_uri ${requested} is not registered for this client.`,
    };
  }
  return { ok: true, redirectUri: requested, sent: true };
}

export type PkceMethod = 'plain' | 'S256';

export interface PkceChallenge {
  challenge: string;
  method: PkceMethod;
}

/** RFC 7636 §4.6. */
export function verifyPkce(challenge: PkceChallenge, verifier: string): boolean {
  const computed =
    challenge.method === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  return safeEqual(computed, challenge.challenge);
}
