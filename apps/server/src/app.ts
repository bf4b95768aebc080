import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { appRouter, createContextInner, type AppRouter } from '@plugboard/api';
import { ERROR_MESSAGES, PlugboardError, type ErrorCode } from '@plugboard/contracts';
import {
  createSession,
  DEMO_EXTERNAL_USER_ID,
  errorSummary,
  exchangeConnectToken,
  handleOAuthCallback,
  deliverDueWebhooks,
  launchHeadlessOAuth,
  purgeExpired,
  refreshExpiringConnections,
  resolveSession,
  type Clock,
  type CoreDeps,
  type Keyring,
} from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { ServerEnv } from './env';
import { registerRateLimits } from './rate-limit';
import { createDeps } from './runtime';
import { logDestination } from './logging';
import { embedLanding } from './embed-link';
import { registerSdkRoute } from './routes/sdk';
import { csrfViolation, framingHeaders, pathOnly } from './security';
import { resolveTheme } from './theme';

export interface CreateServerOptions {
  env: ServerEnv;
  orm: Orm;
  keyring: Keyring;
  clock?: Clock;
  /** Where log lines go (tests capture them to prove no secret is ever logged). */
  logStream?: Writable;
}

export interface PlugboardServer {
  app: FastifyInstance;
  deps: CoreDeps;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const MAX_BATCH_SIZE = 10;
const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
const REFRESH_INTERVAL_MS = 60 * 1000;

export async function createServer(opts: CreateServerOptions): Promise<PlugboardServer> {
  const { env, orm } = opts;
  const production = env.nodeEnv === 'production';
  const demoLoginAvailable = !production;
  const cookieName = production ? '__Host-pb_session' : 'pb_session';
  // Binds headless OAuth attempts to the browser that opened the launch link.
  const bindingCookieName = production ? '__Secure-pb_bind' : 'pb_bind';

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
  const deps = createDeps(env, {
    keyring: opts.keyring,
    logger: app.log,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });

  const allowedOrigins = new Set<string>([
    new URL(env.publicUrl).origin,
    new URL(env.webUrl).origin,
    ...env.extraAllowedOrigins,
    ...(production ? [] : ['http://localhost:5173', 'http://127.0.0.1:5173']),
  ]);

  await app.register(fastifyCookie);
  await registerRateLimits(app, { env, orm });

  /** A per-IP limit for one route (off only when RATE_LIMIT=off, for benchmarks). */
  const perMinute = (max: number) => ({
    config: { rateLimit: env.rateLimit ? { max, timeWindow: '1 minute' } : (false as const) },
  });

  const sendError = (reply: FastifyReply, status: number, code: ErrorCode, message?: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .send({ error: { code, message: message ?? ERROR_MESSAGES[code] } });

  app.addHook('onRequest', async (req, reply) => {
    const violation = csrfViolation(req, allowedOrigins);
    if (violation) {
      req.log.warn(
        { path: pathOnly(req.url), origin: req.headers.origin ?? null },
        'cross-site request refused',
      );
      return sendError(reply, 403, violation);
    }
  });

  // Pages of a session minted with allowedOrigins may be framed by / keep an opener on exactly
  // those origins; every other response keeps the strict headers (security.ts framingHeaders).
  const embedOriginsOf = new WeakMap<object, string[]>();
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    const html = type.startsWith('text/html');
    const redirect = reply.statusCode >= 300 && reply.statusCode < 400;
    let embedOrigins = embedOriginsOf.get(req) ?? [];
    // Only documents (pages and the redirects between them) need the session's policy.
    if (!embedOriginsOf.has(req) && req.method === 'GET' && (html || redirect)) {
      const session = await resolveSession(orm.em.fork(), deps, req.cookies[cookieName]).catch(
        () => null,
      );
      embedOrigins = session?.allowedOrigins ?? [];
    }
    const policy = framingHeaders(embedOrigins, { logoUrl: theme.logoUrl });
    if (policy.xFrameOptions) reply.header('x-frame-options', policy.xFrameOptions);
    else reply.removeHeader('x-frame-options');
    reply.header('cross-origin-opener-policy', policy.coop);
    if (html) reply.header('content-security-policy', policy.csp);
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error({ err: errorSummary(err) }, 'request failed');
    const code: ErrorCode =
      status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : status === 429
          ? 'RATE_LIMITED'
          : status >= 500
            ? 'INTERNAL'
            : 'VALIDATION_FAILED';
    return sendError(reply, status, code);
  });

  // A modal (an iframe on the host's page) is a third-party context: only a SameSite=None
  // (hence Secure) cookie is stored and sent there. Browsers that block third-party cookies
  // refuse it; the SDK's popup mode works there (README.md "Embed in your app").
  const setSessionCookie = (reply: FastifyReply, value: string, framed = false) =>
    reply.setCookie(cookieName, value, {
      httpOnly: true,
      sameSite: framed ? 'none' : 'lax',
      secure: production || framed,
      path: '/',
      maxAge: deps.settings.sessionTtlSeconds,
    });

  app.get('/healthz', async (_req, reply) => {
    try {
      await orm.em.fork().getConnection().execute('select 1');
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'ok' });
    } catch (err) {
      app.log.error({ err: errorSummary(err) }, 'health check: database unreachable');
      return reply.code(503).send({ status: 'error', database: 'unreachable' });
    }
  });

  // Connect link: a single-use token becomes an HttpOnly session cookie, then a clean URL.
  app.get('/connect', perMinute(30), async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const token = (req.query as Record<string, unknown>).token;
    try {
      if (typeof token !== 'string') throw new PlugboardError('CONNECT_TOKEN_INVALID');
      const { cookieValue, session } = await exchangeConnectToken(orm.em.fork(), deps, token);
      const landing = embedLanding(req.query as Record<string, unknown>, session);
      if (!landing.ok) throw new PlugboardError(landing.code);
      embedOriginsOf.set(req, session.allowedOrigins);
      setSessionCookie(reply, cookieValue, landing.mode === 'modal');
      return reply.redirect(`${env.webUrl}${landing.path}`, 303);
    } catch (err) {
      const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
      if (code === 'INTERNAL') req.log.error({ err: errorSummary(err) }, 'connect link failed');
      return reply.redirect(`${env.webUrl}/connect/result?error=${code}`, 303);
    }
  });

  app.get<{ Params: { providerId: string } }>(
    '/oauth/callback/:providerId',
    perMinute(60),
    async (req, reply) => {
      // The code and state in this URL must not leak through Referer or caches.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const em = orm.em.fork();
      const session = await resolveSession(em, deps, req.cookies[cookieName]);
      const outcome = await handleOAuthCallback(em, deps, {
        providerId: req.params.providerId,
        query: req.query as Record<string, string | string[] | undefined>,
        sessionId: session?.id ?? null,
        bindingValue: req.cookies[bindingCookieName],
      });
      return reply.redirect(outcome.redirectTo, 303);
    },
  );

  // Headless flows: the host's backend got this single-use link from server.oauth.start. Opening
  // it binds this browser (cookie) to the attempt, then goes on to the provider.
  app.get('/oauth/launch', perMinute(60), async (req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const token = (req.query as Record<string, unknown>).token;
    try {
      if (typeof token !== 'string') throw new PlugboardError('LAUNCH_INVALID');
      const launched = await launchHeadlessOAuth(orm.em.fork(), deps, {
        token,
        bindingValue: req.cookies[bindingCookieName],
      });
      reply.setCookie(bindingCookieName, launched.bindingValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: production,
        path: '/oauth/',
        maxAge: 24 * 3600,
      });
      return reply.redirect(launched.providerUrl, 303);
    } catch (err) {
      const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
      if (code === 'INTERNAL') req.log.error({ err: errorSummary(err) }, 'oauth launch failed');
      return reply.redirect(`${env.webUrl}/connect/result?error=${code}`, 303);
    }
  });

  if (demoLoginAvailable) {
    // Development only: lets a contributor use the Connect UI without a host app.
    app.post('/dev/session', perMinute(20), async (_req, reply) => {
      const { cookieValue, session } = await createSession(orm.em.fork(), deps, {
        externalUserId: DEMO_EXTERNAL_USER_ID,
        allowedOrigins: [],
        demo: true,
      });
      setSessionCookie(reply, cookieValue);
      return reply
        .header('cache-control', 'no-store')
        .send({ externalUserId: session.externalUserId });
    });
  }

  await registerSdkRoute(app);

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: appRouter,
      maxBatchSize: MAX_BATCH_SIZE,
      allowMethodOverride: false,
      async createContext({ req }) {
        const em = orm.em.fork();
        const auth = req.headers.authorization;
        const apiKey = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
        const session = await resolveSession(em, deps, req.cookies[cookieName]);
        return createContextInner({
          em,
          deps,
          session,
          ...(apiKey ? { apiKey } : {}),
          demoLoginAvailable,
          theme,
        });
      },
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR') {
          app.log.error({ path, err: errorSummary(error.cause ?? error) }, 'procedure failed');
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
  });

  if (env.webDistDir && existsSync(env.webDistDir)) {
    await app.register(fastifyStatic, {
      root: env.webDistDir,
      wildcard: false,
      setHeaders(res, filePath) {
        res.header(
          'cache-control',
          filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    // Client-side routes of the single-page app (e.g. /connect/result) get index.html.
    app.setNotFoundHandler((req, reply) => {
      if (
        req.method === 'GET' &&
        !req.url.startsWith('/trpc') &&
        (req.headers.accept ?? '').includes('text/html')
      ) {
        return reply.header('cache-control', 'no-cache').type('text/html').sendFile('index.html');
      }
      return sendError(reply, 404, 'NOT_FOUND', 'Not found.');
    });
  } else {
    app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'NOT_FOUND', 'Not found.'));
  }

  // Expired sessions, connect tokens and old attempts are deleted every 10 minutes.
  const housekeeping = setInterval(() => {
    purgeExpired(orm.em.fork(), deps)
      .then((n) => {
        if (n.sessions + n.connectTokens + n.attempts + n.telegramFlows > 0)
          app.log.info(n, 'purged expired rows');
      })
      .catch((err: unknown) => app.log.error({ err: errorSummary(err) }, 'housekeeping failed'));
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();
  app.addHook('onClose', async () => clearInterval(housekeeping));

  // Tokens that expire soon are refreshed before anyone asks (lease-safe across instances).
  const freshness = setInterval(() => {
    refreshExpiringConnections(orm.em.fork(), deps)
      .then((n) => {
        if (n.refreshed + n.failed > 0) app.log.info(n, 'background refresh');
      })
      .catch((err: unknown) =>
        app.log.error({ err: errorSummary(err) }, 'background refresh failed'),
      );
  }, REFRESH_INTERVAL_MS);
  freshness.unref();
  app.addHook('onClose', async () => clearInterval(freshness));

  // The webhook outbox is drained by every instance; leases keep each attempt single.
  if (env.webhookPollMs > 0) {
    let busy = false;
    const delivery = setInterval(() => {
      if (busy) return;
      busy = true;
      deliverDueWebhooks(orm.em.fork(), deps)
        .catch((err: unknown) =>
          app.log.error({ err: errorSummary(err) }, 'webhook delivery loop failed'),
        )
        .finally(() => {
          busy = false;
        });
    }, env.webhookPollMs);
    delivery.unref();
    app.addHook('onClose', async () => clearInterval(delivery));
  }

  return { app, deps };
}
