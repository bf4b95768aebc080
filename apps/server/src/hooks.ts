import { errorSummary } from '@plugboard/core';
import type { ErrorCode } from '@plugboard/contracts';
import type { FastifyInstance } from 'fastify';
import { sendError } from './routes/context';
import { csrfViolation, pathOnly } from './security';

/**
 * What applies to every request: the cross-site check, the security headers on every answer
 * (CSP on HTML) and one error shape (`{ error: { code, message } }`) for Fastify's own errors.
 */
export function registerRequestHooks(
  app: FastifyInstance,
  opts: { allowedOrigins: ReadonlySet<string>; csp: string },
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

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', opts.csp);
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
