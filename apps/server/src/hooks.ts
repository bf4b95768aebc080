import { errorSummary } from '@plugboard/core';
import type { ErrorCode } from '@plugboard/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rememberedEmbedOrigins } from './embed-link';
import { sendError } from './routes/context';
import { csrfViolation, framingHeaders, pathOnly } from './security';

/**
 * What applies to every request: the cross-site check, the security headers on every answer
 * (CSP on HTML) and one error shape (`{ error: { code, message } }`) for Fastify's own errors.
 */
export function registerRequestHooks(
  app: FastifyInstance,
  opts: {
    allowedOrigins: ReadonlySet<string>;
    logoUrl: string | null;
    /** The allowedOrigins of the request's Connect UI session ([] without one). */
    sessionOrigins: (req: FastifyRequest) => Promise<string[]>;
  },
): void {
  app.addHook('onRequest', async (req, reply) => {
    const violation = csrfViolation(req, opts.allowedOrigins);
    if (violation) {
      req.log.warn(
        { path: pathOnly(req.url), origin: req.headers.origin ?? null },
        'cross-site request refused',
      );
      return sendError(reply, 403, violation);
    }
  });

  // Pages of a session minted with allowedOrigins may be framed by / keep an opener on exactly
  // those origins; every other answer keeps the strict headers (security.ts framingHeaders).
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    const html = type.startsWith('text/html');
    const redirect = reply.statusCode >= 300 && reply.statusCode < 400;
    // Only documents (pages and the redirects between them) need the session's policy.
    const embedOrigins =
      rememberedEmbedOrigins(req) ??
      (req.method === 'GET' && (html || redirect) ? await opts.sessionOrigins(req) : []);
    const policy = framingHeaders(embedOrigins, { logoUrl: opts.logoUrl });
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
}
