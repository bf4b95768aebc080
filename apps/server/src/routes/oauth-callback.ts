import { handleOAuthCallback } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { requestSession } from '../request-session';
import { perMinute, type RouteContext } from './context';

/** Where providers send the browser back after consent (`${publicUrl}/oauth/callback/:id`). */
export function registerOAuthCallbackRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { env, orm, deps } = ctx;
  app.get<{ Params: { providerId: string } }>(
    '/oauth/callback/:providerId',
    perMinute(env, 60),
    async (req, reply) => {
      // The code and state in this URL must not leak through Referer or caches.
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const em = orm.em.fork();
      // The same lookup the onSend hook uses for the redirect's framing policy (one per request).
      const session = await requestSession(req, ctx);
      const outcome = await handleOAuthCallback(em, deps, {
        providerId: req.params.providerId,
        query: req.query as Record<string, string | string[] | undefined>,
        sessionId: session?.id ?? null,
        bindingValue: req.cookies[ctx.bindingCookieName],
      });
      return reply.redirect(outcome.redirectTo, 303);
    },
  );
}
