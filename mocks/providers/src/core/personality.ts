import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from './accounts';
import type { RegisteredClient } from './clients';
import type { MockClock } from './clock';
import type { AnsweringFaultKind, FaultResponse } from './faults';
import type { CodeStore, PendingConsents, TokenStore, TokenStoreOptions } from './grants';
import type { Brand } from './html';
import type { ProviderIssuer } from './jwt';

/**
 * A personality is one provider's emulation: its routes under `/<id>/…`, its default account
 * and its error shapes. Everything shared (clients, clock, faults, request log, codes, tokens,
 * consent pages, JWT keys) comes from the framework through the `ProviderContext`.
 */
export interface Personality<TAccount extends Account = Account> {
  /** URL prefix, the folder's name, the dev client's `plugboard-dev-<id>`, and `provider` in the control API. */
  readonly id: string;
  readonly brand: Brand;
  /**
   * Names of the endpoints, as used by the request log and faults (`authorize`, `token`, …).
   * Every route must use one; the control API rejects faults for any other name.
   */
  readonly endpoints: readonly string[];
  /**
   * An authorize request this personality accepts, for tests that open every consent page
   * (e2e/consent-pages.e2e.ts): what it needs beyond client_id, redirect_uri and state.
   */
  readonly authorizeExample?: AuthorizeExample;
  /** The account consent pages sign in as, unless the control API set another. */
  readonly defaultAccount: TAccount;
  /**
   * The provider's own bodies for injected faults; the framework adds `Retry-After`. `fault`
   * carries the wait for providers that put it in the body (Telegram's `FLOOD_WAIT_<seconds>`).
   */
  faultResponse?(
    kind: AnsweringFaultKind,
    endpoint: string,
    fault: { retryAfterSeconds: number },
  ): FaultResponse;
  /** Registers the routes. Called once per server; keep all state in `ctx` stores. */
  register(router: ProviderRouter, ctx: ProviderContext<TAccount>): void;
}

export interface AuthorizeExample {
  /** Values for the route's path parameters (Shopify's `:shop`). */
  pathParams?: Record<string, string>;
  params?: Record<string, string>;
  /** Send `response_type=code` (default true; GitHub, Slack and Shopify take none). */
  responseType?: boolean;
  /**
   * Send a PKCE S256 challenge (default true: required by Calendly, ignored where unsupported,
   * so sending it everywhere keeps unknown providers working).
   */
  pkce?: boolean;
  /** What Deny does: by default a redirect with `error=access_denied` and the state. */
  deny?:
    { kind: 'redirect'; error: string; stateRequired: boolean } | { kind: 'page'; text: string };
}

/** Identity function that gives a personality literal its types. */
export function definePersonality<TAccount extends Account>(
  personality: Personality<TAccount>,
): Personality<TAccount> {
  return personality;
}

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

export interface ProviderRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the provider prefix, Fastify syntax: `/v1/oauth/token`, `/store/:shop/…`. */
  path: string;
  /** One of the personality's `endpoints`. */
  endpoint: string;
  /**
   * Log the route pattern instead of the concrete path, for paths that carry a secret
   * (e.g. a bot token in the URL) — the request log must never hold one.
   */
  logRoutePattern?: boolean;
  handler: RouteHandler;
}

/**
 * A personality's own control call, mounted at `/__control/<id><path>` (e.g. Telegram's inbox).
 * Not logged and never faulted, like the rest of the control API; answer errors as
 * `{ error, message }` the way the other control calls do.
 */
export interface ControlRoute {
  method: 'GET' | 'POST';
  path: string;
  handler: RouteHandler;
}

export interface ProviderRouter {
  /** Adds a route with fault injection and request logging wired in. */
  route(route: ProviderRoute): void;
  /** `route` for a GET with no options beyond its endpoint. */
  get(path: string, endpoint: string, handler: RouteHandler): void;
  /** `route` for a POST with no options beyond its endpoint. */
  post(path: string, endpoint: string, handler: RouteHandler): void;
}

export interface ProviderContext<TAccount extends Account = Account> {
  readonly id: string;
  readonly clock: MockClock;
  findClient(clientId: string): RegisteredClient | undefined;
  /** The client with this secret, for providers whose client auth is the secret alone. */
  findClientBySecret(clientSecret: string): RegisteredClient | undefined;
  /** The account the next consent authorises (default account + control API patch). */
  currentAccount(): TAccount;
  /** Public URL of this personality, e.g. `http://127.0.0.1:4010/notion` (after listen). */
  baseUrl(): string;
  /** This provider's JWT issuer and keys, created on first use (key generation takes time). */
  issuer(): Promise<ProviderIssuer>;
  /** Stores below are emptied by `/__control/reset`; create them once, in `register`. */
  codeStore<T>(opts: { ttlSeconds: number; prefix?: string }): CodeStore<T>;
  tokenStore<T>(opts: TokenStoreOptions): TokenStore<T>;
  pendingConsents<T>(ttlSeconds?: number): PendingConsents<T>;
  /** For personality state the stores above do not cover. */
  onReset(reset: () => void): void;
  /** Adds a control call under `/__control/<id>/…` for state only this personality has. */
  controlRoute(route: ControlRoute): void;
}
