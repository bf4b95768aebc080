import { PlugboardError } from '@plugboard/contracts';
import {
  createSession,
  DEMO_EXTERNAL_USER_ID,
  errorSummary,
  exchangeConnectToken,
} from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { embedLanding, rememberEmbedOrigins } from '../embed-link';
import { perMinute, setSessionCookie, type RouteContext } from './context';

/** How a browser gets a Connect UI session: a host's connect link, or (development) a demo login. */
export function registerConnectLinkRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { env, orm, deps } = ctx;

  // Connect link: a single-use token becomes an HttpOnly session cookie, then a clean URL.
  app.get('/connect', perMinute(env, 30), async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const token = (req.query as Record<string, unknown>).token;
    try {
      if (typeof token !== 'string') throw new PlugboardError('CONNECT_TOKEN_INVALID');
      const { cookieValue, session } = await exchangeConnectToken(orm.em.fork(), deps, token);
      // The SDK's hints (embed mode, host origin, provider, shop), checked against the session.
      const landing = embedLanding(req.query as Record<string, unknown>, session);
      if (!landing.ok) throw new PlugboardError(landing.code);
      rememberEmbedOrigins(req, session.allowedOrigins);
      setSessionCookie(ctx, reply, cookieValue, landing.mode === 'modal');
      return reply.redirect(`${env.webUrl}${landing.path}`, 303);
    } catch (err) {
      const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
      if (code === 'INTERNAL') req.log.error({ err: errorSummary(err) }, 'connect link failed');
      return reply.redirect(`${env.webUrl}/connect/result?error=${code}`, 303);
    }
  });

  if (ctx.demoLoginAvailable) {
    // Development only: lets a contributor use the Connect UI without a host app.
    app.post('/dev/session', perMinute(env, 20), async (_req, reply) => {
      const { cookieValue, session } = await createSession(orm.em.fork(), deps, {
        externalUserId: DEMO_EXTERNAL_USER_ID,
        allowedOrigins: [],
        demo: true,
      });
      setSessionCookie(ctx, reply, cookieValue);
      return reply
        .header('cache-control', 'no-store')
        .send({ externalUserId: session.externalUserId });
    });
  }
}
