/**
 * The parts of an authorization-code flow the generic providers share: authorize + consent
 * routes (core/authorize.ts plus the PKCE, scope and parameter handling these five have in
 * common), client authentication, code redemption and a token history. Each provider file keeps
 * its own paths, response bodies and error shapes, and decides how a failure is worded.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from './accounts';
import type { RegisteredClient } from './clients';
import type { CodeStore, Grant, RedeemFailure, TokenStore } from './grants';
import { redirectBack, registerAuthorizeRoute, registerConsentRoute } from './authorize';
import type { PageError } from './authorize';
import type { Brand } from './html';
import { oauthErrorBody } from './faults';
import { parseBasicAuth, safeEqual, verifyPkce } from './oauth';
import type { Params, PkceChallenge, RedirectUriRule } from './oauth';
import type { ProviderContext, ProviderRouter } from './personality';

/** What an authorization code carries besides the framework's client/redirect/PKCE binding. */
export interface CodeData<A extends Account> {
  account: A;
  scope: string;
  /** Authorize parameters the provider acts on later (access_type, nonce, user_scope, …). */
  extras: Record<string, string>;
}

interface Pending<A extends Account> extends CodeData<A> {
  clientId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  state: string | undefined;
  pkce: PkceChallenge | undefined;
}

export interface AuthorizeOptions<A extends Account> {
  brand: Brand;
  /** Below the provider prefix. */
  authorizePath: string;
  /** Default: `consent` beside the authorize path (`/oauth/authorize` → `/oauth/consent`). */
  consentPath?: string;
  codes: CodeStore<CodeData<A>>;
  /** No redirect_uri: `required` → error page; `first-registered` → the app's callback. */
  redirectUri: Exclude<RedirectUriRule, 'only-registered'>;
  unknownClient: PageError;
  badRedirectUri: PageError;
  /** See `AuthorizeRouteOptions.onBadRedirectUri` (GitHub redirects instead of a page). */
  onBadRedirectUri?: (client: RegisteredClient, params: Params, reply: FastifyReply) => unknown;
  /**
   * Checks once client and redirect URI are trusted. A `page` error renders an error page (the
   * provider shows one); otherwise the error goes back on the redirect.
   */
  validate?: (
    params: Params,
  ) => { error: string; description: string; page?: PageError } | undefined;
  /**
   * `ignore`: PKCE parameters are dropped; `optional`: honoured when sent (S256 or plain);
   * `optional-s256`: honoured when sent, but only as S256 (a challenge without a method is
   * plain, RFC 7636 §4.3, and refused); `required-s256`: a well-formed S256 challenge or the
   * request fails.
   */
  pkce: 'ignore' | 'optional' | 'optional-s256' | 'required-s256';
  defaultScope: string;
  /** Authorize parameters to remember on the code. */
  extras?: readonly string[];
  /** Extra parameters on the Deny redirect (beyond `error=access_denied` and state). */
  denyParams?: Record<string, string>;
  consent: (
    account: A,
    scope: string,
    extras: Record<string, string>,
  ) => { account: string; details?: { label: string; value: string }[]; permissions: string[] };
}

const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge: base64url of a SHA-256 digest, 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The core authorize + consent routes, with the parameter handling these providers share. */
export function registerAuthorize<A extends Account>(
  router: ProviderRouter,
  ctx: ProviderContext<A>,
  opts: AuthorizeOptions<A>,
): void {
  const pending = ctx.pendingConsents<Pending<A>>();
  const consentPath =
    opts.consentPath ??
    `${opts.authorizePath.slice(0, opts.authorizePath.lastIndexOf('/'))}/consent`;

  registerAuthorizeRoute(router, ctx, {
    path: opts.authorizePath,
    consentPath,
    brand: opts.brand,
    pending,
    redirectUri: opts.redirectUri,
    unknownClient: opts.unknownClient,
    badRedirectUri: opts.badRedirectUri,
    ...(opts.onBadRedirectUri === undefined ? {} : { onBadRedirectUri: opts.onBadRedirectUri }),
    accept: ({ params, client, redirectUri, redirectUriSent }, account, { fail, page }) => {
      const invalid = opts.validate?.(params);
      if (invalid !== undefined) {
        return invalid.page === undefined
          ? fail(invalid.error, invalid.description)
          : page(invalid.page);
      }
      let pkce: PkceChallenge | undefined;
      const s256 =
        opts.pkce === 'required-s256' ||
        (opts.pkce === 'optional-s256' && params.code_challenge !== undefined);
      if (s256) {
        if (params.code_challenge === undefined) {
          return fail('invalid_request', 'Missing required parameter: code_challenge.');
        }
        if (params.code_challenge_method !== 'S256') {
          return fail('invalid_request', 'code_challenge_method must be S256.');
        }
        if (!S256_CHALLENGE.test(params.code_challenge)) {
          return fail('invalid_request', 'code_challenge is not a valid S256 challenge.');
        }
        pkce = { challenge: params.code_challenge, method: 'S256' };
      } else if (opts.pkce === 'optional' && params.code_challenge !== undefined) {
        // RFC 7636 §4.3: no method means plain.
        const method = params.code_challenge_method ?? 'plain';
        if ((method !== 'S256' && method !== 'plain') || !CHALLENGE.test(params.code_challenge)) {
          return fail('invalid_request', 'Invalid code_challenge or code_challenge_method.');
        }
        pkce = { challenge: params.code_challenge, method };
      }
      const scope = params.scope?.trim() || opts.defaultScope;
      const extras: Record<string, string> = {};
      for (const name of opts.extras ?? []) {
        const value = params[name];
        if (value !== undefined) extras[name] = value;
      }
      return {
        pending: {
          clientId: client.clientId,
          redirectUri,
          redirectUriSent,
          state: params.state,
          pkce,
          account,
          scope,
          extras,
        },
        consent: opts.consent(account, scope, extras),
      };
    },
  });

  registerConsentRoute(router, {
    path: consentPath,
    brand: opts.brand,
    pending,
    ...(opts.denyParams === undefined ? {} : { denyParams: opts.denyParams }),
    onAllow: (entry, reply) => {
      const code = opts.codes.issue({
        clientId: entry.clientId,
        redirectUri: entry.redirectUriSent ? entry.redirectUri : null,
        pkce: entry.pkce,
        account: entry.account,
        scope: entry.scope,
        extras: entry.extras,
      });
      return redirectBack(reply, entry, { code });
    },
  });
}

export type ClientAuthMethod = 'basic' | 'body';

export type ClientAuthResult =
  | { ok: true; client: RegisteredClient }
  | {
      ok: false;
      /** `wrong_method`: correct-looking credentials sent a way this provider does not take. */
      reason: 'missing' | 'wrong_method' | 'unknown_client' | 'bad_secret';
    };

/**
 * Client authentication by the methods the provider accepts. Credentials sent both ways must
 * name the same client; sending them only a way the provider does not accept is `wrong_method`.
 */
export function authenticateRequest(
  ctx: ProviderContext<Account>,
  request: FastifyRequest,
  params: Params,
  methods: readonly ClientAuthMethod[],
): ClientAuthResult {
  const basic = parseBasicAuth(request.headers.authorization);
  const body =
    params.client_id !== undefined && params.client_secret !== undefined
      ? { clientId: params.client_id, clientSecret: params.client_secret }
      : undefined;
  const usable = [
    ...(methods.includes('basic') && basic !== undefined ? [basic] : []),
    ...(methods.includes('body') && body !== undefined ? [body] : []),
  ];
  const [credentials, other] = usable;
  if (credentials === undefined) {
    return {
      ok: false,
      reason: basic !== undefined || body !== undefined ? 'wrong_method' : 'missing',
    };
  }
  // Credentials sent two ways, or a body client_id beside them, must name the same client.
  if (
    (other !== undefined && other.clientId !== credentials.clientId) ||
    (params.client_id !== undefined && params.client_id !== credentials.clientId)
  ) {
    return { ok: false, reason: 'bad_secret' };
  }
  const client = ctx.findClient(credentials.clientId);
  if (client === undefined) return { ok: false, reason: 'unknown_client' };
  if (!safeEqual(client.clientSecret, credentials.clientSecret)) {
    return { ok: false, reason: 'bad_secret' };
  }
  return { ok: true, client };
}

export type CodeFailure =
  | 'missing_code'
  | RedeemFailure
  | 'missing_redirect_uri'
  | 'redirect_mismatch'
  | 'missing_verifier'
  | 'pkce_mismatch';

/** Every `CodeFailure`, so a table over them is checked complete. */
const CODE_FAILURES: Record<CodeFailure, true> = {
  missing_code: true,
  unknown: true,
  used: true,
  expired: true,
  wrong_client: true,
  missing_redirect_uri: true,
  redirect_mismatch: true,
  missing_verifier: true,
  pkce_mismatch: true,
};

/**
 * A provider's answer to each way a code fails: `fallback`, unless `overrides` words that
 * failure differently (most providers word all but a few alike).
 */
export function codeErrors<E>(
  fallback: E,
  overrides: Partial<Record<CodeFailure, E>> = {},
): Record<CodeFailure, E> {
  const table: Partial<Record<CodeFailure, E>> = {};
  for (const failure of Object.keys(CODE_FAILURES) as CodeFailure[]) {
    table[failure] = overrides[failure] ?? fallback;
  }
  return table as Record<CodeFailure, E>;
}

/**
 * Redeems a code (spending it whatever the outcome) and checks redirect URI and PKCE.
 * `redirectUri`: `always` — the token request must name the authorize request's URI even when
 * authorize relied on the default; `if-sent` — only when authorize named one (RFC 6749 §4.1.3);
 * `optional` — may be left out, but must match when sent (GitHub).
 */
export function redeemCode<A extends Account>(
  codes: CodeStore<CodeData<A>>,
  params: Params,
  client: RegisteredClient,
  opts: { redirectUri: 'always' | 'if-sent' | 'optional' },
): { ok: true; data: CodeData<A> } | { ok: false; reason: CodeFailure } {
  if (params.code === undefined) return { ok: false, reason: 'missing_code' };
  const redeemed = codes.redeem(params.code, client.clientId);
  if (!redeemed.ok) return { ok: false, reason: redeemed.reason };
  const { grant } = redeemed;
  const expected = grant.redirectUri;
  if (params.redirect_uri === undefined) {
    if (opts.redirectUri === 'always' || (opts.redirectUri === 'if-sent' && expected !== null)) {
      return { ok: false, reason: 'missing_redirect_uri' };
    }
  } else if (expected !== null && params.redirect_uri !== expected) {
    return { ok: false, reason: 'redirect_mismatch' };
  } else if (expected === null && !client.redirectUris.includes(params.redirect_uri)) {
    return { ok: false, reason: 'redirect_mismatch' };
  }
  if (grant.pkce !== undefined) {
    if (params.code_verifier === undefined) return { ok: false, reason: 'missing_verifier' };
    if (!verifyPkce(grant.pkce, params.code_verifier))
      return { ok: false, reason: 'pkce_mismatch' };
  }
  return { ok: true, data: { account: grant.account, scope: grant.scope, extras: grant.extras } };
}

/**
 * Every access token issued → its expiry, so an API route can say "expired" vs "revoked" vs
 * "never issued" the way the provider words them.
 */
export function tokenHistory(ctx: ProviderContext<Account>) {
  let issued = new Map<string, number>();
  ctx.onReset(() => {
    issued = new Map();
  });
  return {
    remember(grant: Grant<unknown>): void {
      issued.set(grant.accessToken, grant.accessTokenExpiresAt ?? Number.POSITIVE_INFINITY);
    },
    deadReason(token: string): 'expired' | 'revoked' | 'unknown' {
      const expiresAt = issued.get(token);
      if (expiresAt === undefined) return 'unknown';
      return ctx.clock.now() >= expiresAt ? 'expired' : 'revoked';
    },
  };
}

/**
 * `grant_type=refresh_token`: the refreshed grant, or undefined when `refresh_token` is missing
 * or dead (for providers that answer both alike).
 */
export function refreshFrom<T>(tokens: TokenStore<T>, params: Params, client: RegisteredClient) {
  if (params.refresh_token === undefined) return undefined;
  const refreshed = tokens.refresh(params.refresh_token, client.clientId);
  return refreshed.ok ? refreshed.grant : undefined;
}

/** A token-endpoint answer: RFC 6749 §5.1 forbids caching one. */
export const noStore = (reply: FastifyReply, body: unknown) =>
  reply.header('cache-control', 'no-store').send(body);

/** RFC 6749 §5.2's error answer (`{error, error_description}`), uncached as `noStore` says. */
export const rfc6749Error = (
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) => noStore(reply.status(status), oauthErrorBody(error, description));

/** Scope strings split on spaces and commas (providers differ on the separator). */
export const scopeList = (scope: string): string[] => scope.split(/[\s,]+/).filter(Boolean);
