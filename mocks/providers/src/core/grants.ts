import { randomUUID } from 'node:crypto';
import type { MockClock } from './clock';
import { randomToken } from './oauth';
import type { PkceChallenge } from './oauth';

/** What an authorization code is bound to, checked when it is redeemed. */
export interface CodeBinding {
  clientId: string;
  /** The redirect_uri the authorize request named, or null when it named none. */
  redirectUri: string | null;
  pkce?: PkceChallenge | undefined;
}

export type RedeemFailure = 'unknown' | 'used' | 'expired' | 'wrong_client';

export type RedeemResult<T> =
  { ok: true; grant: CodeBinding & T } | { ok: false; reason: RedeemFailure };

interface StoredCode<T> {
  grant: CodeBinding & T;
  expiresAt: number;
  used: boolean;
}

/** Single-use authorization codes that expire on the mock clock. */
export class CodeStore<T> {
  readonly #clock: MockClock;
  readonly #ttlMs: number;
  readonly #prefix: string;
  #codes = new Map<string, StoredCode<T>>();

  constructor(clock: MockClock, opts: { ttlSeconds: number; prefix?: string }) {
    this.#clock = clock;
    this.#ttlMs = opts.ttlSeconds * 1000;
    this.#prefix = opts.prefix ?? '';
  }

  issue(grant: CodeBinding & T): string {
    const code = randomToken(this.#prefix, 18);
    this.#codes.set(code, { grant, expiresAt: this.#clock.now() + this.#ttlMs, used: false });
    return code;
  }

  /**
   * Looks the code up and burns it, whatever the outcome: a code presented once is spent, so a
   * replay after a failed attempt fails too (the stricter reading of RFC 6749 §4.1.2).
   */
  redeem(code: string, clientId: string): RedeemResult<T> {
    const stored = this.#codes.get(code);
    if (stored === undefined) return { ok: false, reason: 'unknown' };
    if (stored.used) return { ok: false, reason: 'used' };
    stored.used = true;
    if (this.#clock.now() >= stored.expiresAt) return { ok: false, reason: 'expired' };
    if (stored.grant.clientId !== clientId) return { ok: false, reason: 'wrong_client' };
    return { ok: true, grant: stored.grant };
  }

  reset(): void {
    this.#codes = new Map();
  }
}

export interface TokenStoreOptions {
  accessTokenPrefix?: string;
  refreshTokenPrefix?: string;
  /** null = access tokens never expire (Notion). */
  accessTokenTtlSeconds: number | null;
  /** Issue a refresh token with every grant. */
  refreshTokens: boolean;
  /** Replace the refresh token on every refresh; the old one stops working (Notion, Zoom). */
  rotateRefreshTokens: boolean;
  /**
   * A refresh leaves the previous access token working until it expires (Google); by default
   * it retires it.
   */
  keepAccessTokensOnRefresh?: boolean;
}

/** One authorization: the tokens issued for it share its fate on revoke. */
export interface Grant<T> {
  id: string;
  clientId: string;
  data: T;
  accessToken: string;
  refreshToken: string | null;
  /** Mock-clock milliseconds. */
  issuedAt: number;
  accessTokenExpiresAt: number | null;
}

export type RefreshResult<T> =
  { ok: true; grant: Grant<T> } | { ok: false; reason: 'unknown' | 'wrong_client' };

/**
 * Access and refresh tokens. A refresh issues a new access token and retires the previous one,
 * so a client that keeps using a stale access token finds out (unless the provider keeps it:
 * `keepAccessTokensOnRefresh`).
 */
export class TokenStore<T> {
  readonly #clock: MockClock;
  readonly #opts: TokenStoreOptions;
  #grants = new Map<string, Grant<T>>();
  #byAccess = new Map<string, string>();
  #byRefresh = new Map<string, string>();
  /** Expiry of access tokens a refresh left working (`keepAccessTokensOnRefresh`). */
  #earlierAccess = new Map<string, number | null>();

  readonly #keepOnce: (refreshToken: string) => boolean;

  /** `keepOnce`: true when this refresh must not rotate (the `omit_refresh_token` fault). */
  constructor(
    clock: MockClock,
    opts: TokenStoreOptions,
    keepOnce: (refreshToken: string) => boolean = () => false,
  ) {
    this.#clock = clock;
    this.#opts = opts;
    this.#keepOnce = keepOnce;
  }

  issue(clientId: string, data: T): Grant<T> {
    const grant: Grant<T> = {
      id: randomUUID(),
      clientId,
      data,
      accessToken: '',
      refreshToken: this.#opts.refreshTokens
        ? randomToken(this.#opts.refreshTokenPrefix ?? '', 24)
        : null,
      issuedAt: 0,
      accessTokenExpiresAt: null,
    };
    this.#grants.set(grant.id, grant);
    if (grant.refreshToken !== null) this.#byRefresh.set(grant.refreshToken, grant.id);
    this.#newAccessToken(grant);
    return { ...grant };
  }

  /** The live grant behind an access token; undefined if unknown, revoked or expired. */
  findByAccessToken(token: string): Grant<T> | undefined {
    const grant = this.#grantFor(this.#byAccess, token);
    if (grant === undefined) return undefined;
    const expiresAt =
      token === grant.accessToken ? grant.accessTokenExpiresAt : this.#earlierAccess.get(token);
    if (expiresAt === undefined) return undefined;
    if (expiresAt !== null && this.#clock.now() >= expiresAt) return undefined;
    return { ...grant };
  }

  /** The live grant behind an access or refresh token (introspection). */
  findByAnyToken(token: string): Grant<T> | undefined {
    const live = this.findByAccessToken(token);
    if (live !== undefined) return live;
    const grant = this.#grantFor(this.#byRefresh, token);
    return grant === undefined ? undefined : { ...grant };
  }

  refresh(refreshToken: string, clientId: string): RefreshResult<T> {
    const grant = this.#grantFor(this.#byRefresh, refreshToken);
    if (grant === undefined) return { ok: false, reason: 'unknown' };
    if (grant.clientId !== clientId) return { ok: false, reason: 'wrong_client' };
    if (this.#opts.rotateRefreshTokens && !this.#keepOnce(refreshToken)) {
      this.#byRefresh.delete(refreshToken);
      grant.refreshToken = randomToken(this.#opts.refreshTokenPrefix ?? '', 24);
      this.#byRefresh.set(grant.refreshToken, grant.id);
    }
    if (this.#opts.keepAccessTokensOnRefresh === true) {
      this.#earlierAccess.set(grant.accessToken, grant.accessTokenExpiresAt);
    } else {
      this.#byAccess.delete(grant.accessToken);
    }
    this.#newAccessToken(grant);
    return { ok: true, grant: { ...grant } };
  }

  /** Revokes the whole grant behind an access or refresh token; false if it was not live. */
  revoke(token: string): boolean {
    const grant = this.#grantFor(this.#byAccess, token) ?? this.#grantFor(this.#byRefresh, token);
    if (grant === undefined) return false;
    // Every access token of the grant, earlier ones a refresh left working included.
    for (const [access, id] of this.#byAccess) {
      if (id === grant.id) {
        this.#byAccess.delete(access);
        this.#earlierAccess.delete(access);
      }
    }
    if (grant.refreshToken !== null) this.#byRefresh.delete(grant.refreshToken);
    this.#grants.delete(grant.id);
    return true;
  }

  reset(): void {
    this.#grants = new Map();
    this.#byAccess = new Map();
    this.#byRefresh = new Map();
    this.#earlierAccess = new Map();
  }

  #grantFor(index: Map<string, string>, token: string): Grant<T> | undefined {
    const id = index.get(token);
    return id === undefined ? undefined : this.#grants.get(id);
  }

  #newAccessToken(grant: Grant<T>): void {
    grant.accessToken = randomToken(this.#opts.accessTokenPrefix ?? '', 24);
    grant.issuedAt = this.#clock.now();
    grant.accessTokenExpiresAt =
      this.#opts.accessTokenTtlSeconds === null
        ? null
        : grant.issuedAt + this.#opts.accessTokenTtlSeconds * 1000;
    this.#byAccess.set(grant.accessToken, grant.id);
  }
}

/** Consent requests waiting for Allow / Deny, kept server-side under a random id. */
export class PendingConsents<T> {
  readonly #clock: MockClock;
  readonly #ttlMs: number;
  #pending = new Map<string, { data: T; expiresAt: number }>();

  constructor(clock: MockClock, ttlSeconds = 30 * 60) {
    this.#clock = clock;
    this.#ttlMs = ttlSeconds * 1000;
  }

  create(data: T): string {
    const id = randomToken('', 18);
    this.#pending.set(id, { data, expiresAt: this.#clock.now() + this.#ttlMs });
    return id;
  }

  /** Single use: a consent form cannot be submitted twice. */
  take(id: string): T | undefined {
    const entry = this.#pending.get(id);
    this.#pending.delete(id);
    if (entry === undefined || this.#clock.now() >= entry.expiresAt) return undefined;
    return entry.data;
  }

  reset(): void {
    this.#pending = new Map();
  }
}
