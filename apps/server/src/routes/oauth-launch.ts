import { PlugboardError } from '@plugboard/contracts';
import { errorSummary, launchHeadlessOAuth } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { perMinute, type RouteContext } from './context';

/**
 * Headless flows: the host's backend got this single-use link from server.oauth.start. Opening
 * it binds this browser (cookie) to the attempt, then goes on to the provider.
 */
export function registerOAuthLaunchRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { env, orm, deps } = ctx;
  app.get('/oauth/launch', perMinute(env, 60), async (req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    const token = (req.query as Record<string, unknown>).token;
    try {
      if (typeof token !== 'string') throw new PlugboardError('LAUNCH_INVALID');
      const launched = await launchHeadlessOAuth(orm.em.fork(), deps, {
        token,
        bindingValue: req.cookies[ctx.bindingCookieName],
      });
      reply.setCookie(ctx.bindingCookieName, launched.bindingValue, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.production,
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
}
