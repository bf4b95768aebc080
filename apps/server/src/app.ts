import fastifyCookie from '@fastify/cookie';
import {
  systemClock,
  type Clock,
  type CoreDeps,
  type Keyring,
  type ResolveHost,
} from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Writable } from 'node:stream';
import type { ServerEnv } from './env';
import { registerRequestHooks } from './hooks';
import { startJobs, type Jobs } from './jobs';
import { logDestination } from './logging';
import { createObservability } from './observability';
import { registerRateLimits } from './rate-limit';
import { requestSession } from './request-session';
import { registerRoutes, sessionCookieNames } from './routes';
import { createDeps } from './runtime';
import { pathOnly } from './security';
import { resolveTheme } from './theme';

export interface CreateServerOptions {
  env: ServerEnv;
  orm: Orm;
  keyring: Keyring;
  clock?: Clock;
  /** Where log lines go (tests capture them to prove no secret is ever logged). */
  logStream?: Writable;
  /** DNS for webhook hosts (egress tests inject one). */
  resolveHost?: ResolveHost;
}

export interface PlugboardServer {
  app: FastifyInstance;
  deps: CoreDeps;
  /** The background loops (housekeeping, refresh, webhook delivery); stopped on `app.close()`. */
  jobs: Jobs;
}

const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Wires the server together: Fastify with its logger, the core dependencies, request hooks,
 * rate limits, the routes (`./routes`) and the background jobs (`./jobs`).
 */
export async function createServer(opts: CreateServerOptions): Promise<PlugboardServer> {
  const { env, orm } = opts;
  const production = env.nodeEnv === 'production';

  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // tRPC batches put every procedure path in one route parameter (tRPC's own recommendation).
    routerOptions: { maxParamLength: 5000 },
    trustProxy: env.trustProxy,
    logger: {
      level: env.logLevel,
      ...logDestination(env, opts.logStream),
      serializers: {
        // Never the query string, never headers: both can carry codes, tokens or cookies.
        req: (req: { method: string; url: string }) => ({
          method: req.method,
          path: pathOnly(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
  const { theme, warnings: themeWarnings } = resolveTheme(env.brand);
  for (const warning of themeWarnings) app.log.warn(warning);
  const clock = opts.clock ?? systemClock;
  const observability = await createObservability(env, { orm, clock, logger: app.log });
  const deps = createDeps(env, {
    keyring: opts.keyring,
    logger: app.log,
    clock,
    observability,
    ...(opts.resolveHost ? { resolveHost: opts.resolveHost } : {}),
  });

  const allowedOrigins = new Set<string>([
    new URL(env.publicUrl).origin,
    new URL(env.webUrl).origin,
    ...env.extraAllowedOrigins,
    ...(production ? [] : ['http://localhost:5173', 'http://127.0.0.1:5173']),
  ]);

  await app.register(fastifyCookie);
  await registerRateLimits(app, { env, orm });
  // Before every route: request spans wrap the routes added after them.
  await observability.register(app);
  const { cookieName, bindingCookieName } = sessionCookieNames(production);
  registerRequestHooks(app, {
    allowedOrigins,
    logoUrl: theme.logoUrl,
    // The session's allowedOrigins decide framing and opener policy (security.ts framingHeaders).
    sessionOrigins: async (req) =>
      (await requestSession(req, { orm, deps, cookieName }).catch(() => null))?.allowedOrigins ??
      [],
  });
  await registerRoutes(app, {
    env,
    orm,
    deps,
    production,
    demoLoginAvailable: !production,
    theme,
    cookieName,
    bindingCookieName,
    metrics: observability.metrics,
  });

  const jobs = startJobs({ env, orm, deps, logger: app.log });
  app.addHook('onClose', () => jobs.stop());

  return { app, deps, jobs };
}
