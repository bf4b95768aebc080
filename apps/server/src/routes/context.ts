import { ERROR_MESSAGES, type ErrorCode, type ThemeDto } from '@plugboard/contracts';
import type { CoreDeps } from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { FastifyReply } from 'fastify';
import type { ServerEnv } from '../env';
import type { MetricsEndpoint } from '../observability';

/** What every route module is given by `createServer` (one place for cookie names and helpers). */
export interface RouteContext {
  env: ServerEnv;
  orm: Orm;
  deps: CoreDeps;
  production: boolean;
  /** Development only: lets a contributor use the Connect UI without a host app. */
  demoLoginAvailable: boolean;
  theme: ThemeDto;
  /** The Connect UI's session cookie. */
  cookieName: string;
  /** Binds headless OAuth attempts to the browser that opened the launch link. */
  bindingCookieName: string;
  /** GET /metrics (routes/metrics.ts), when METRICS=on. */
  metrics?: MetricsEndpoint | null;
}

export function sessionCookieNames(production: boolean) {
  return {
    cookieName: production ? '__Host-pb_session' : 'pb_session',
    bindingCookieName: production ? '__Secure-pb_bind' : 'pb_bind',
  };
}

/** A per-IP limit for one route (off only when RATE_LIMIT=off, for benchmarks). */
export const perMinute = (env: ServerEnv, max: number) => ({
  config: { rateLimit: env.rateLimit ? { max, timeWindow: '1 minute' } : (false as const) },
});

export const sendError = (reply: FastifyReply, status: number, code: ErrorCode, message?: string) =>
  reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message: message ?? ERROR_MESSAGES[code] } });

/**
 * The session cookie. A modal (an iframe on the host's page) is a third-party context: only a
 * SameSite=None (hence Secure), Partitioned cookie is stored and sent there — it is not visible
 * outside that host's pages, which is why the modal's provider step binds its popup on its own
 * (packages/api/src/routers/connect/oauth/start-popup-oauth.ts).
 */
export const setSessionCookie = (
  ctx: RouteContext,
  reply: FastifyReply,
  value: string,
  framed = false,
) =>
  reply.setCookie(ctx.cookieName, value, {
    httpOnly: true,
    sameSite: framed ? 'none' : 'lax',
    secure: ctx.production || framed,
    // CHIPS: kept per top-level site, the one form of third-party cookie browsers still store.
    // https://developer.mozilla.org/en-US/docs/Web/Privacy/Guides/Privacy_sandbox/Partitioned_cookies
    ...(framed ? { partitioned: true } : {}),
    path: '/',
    maxAge: ctx.deps.settings.sessionTtlSeconds,
  });
