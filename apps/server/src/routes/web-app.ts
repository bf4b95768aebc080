import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { sendError, type RouteContext } from './context';

/**
 * The built Connect UI (when WEB_DIST_DIR exists) and the not-found answer: client-side routes
 * of the single-page app get index.html, everything else a JSON 404.
 */
export async function registerWebAppRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { webDistDir } = ctx.env;
  if (!webDistDir || !existsSync(webDistDir)) {
    app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'NOT_FOUND', 'Not found.'));
    return;
  }
  await app.register(fastifyStatic, {
    root: webDistDir,
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
}
