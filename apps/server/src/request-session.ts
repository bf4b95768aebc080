import { resolveSession, type CoreDeps, type SessionInfo } from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { FastifyRequest } from 'fastify';

/**
 * The request's Connect UI session, resolved at most once per request: a route that needs it
 * (the OAuth callback) and the onSend hook that sets the page's framing policy from its
 * allowedOrigins (hooks.ts) share one lookup. Kept by request object, so it ends with it.
 */
const resolved = new WeakMap<FastifyRequest, Promise<SessionInfo | null>>();

export function requestSession(
  req: FastifyRequest,
  ctx: { orm: Orm; deps: CoreDeps; cookieName: string },
): Promise<SessionInfo | null> {
  let session = resolved.get(req);
  if (!session) {
    session = resolveSession(ctx.orm.em.fork(), ctx.deps, req.cookies[ctx.cookieName]);
    resolved.set(req, session);
  }
  return session;
}
