import type { ErrorCode } from '@plugboard/contracts';
import type { FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request refusal for state-changing requests (README.md "Security model"; OWASP's
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html):
 * only JSON bodies (a cross-site form cannot send them without a CORS preflight we never grant),
 * and a browser's Origin, when present, must be one of ours; without Origin, Fetch Metadata must
 * not say cross-site. Server-to-server calls (no Origin, no Fetch Metadata) pass and are
 * authenticated by their API key instead of a cookie.
 */
export function csrfViolation(
  req: FastifyRequest,
  allowedOrigins: ReadonlySet<string>,
): ErrorCode | null {
  if (SAFE_METHODS.has(req.method)) return null;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // POST /oauth/token takes forms as RFC 6749 §4.4.2 says; it uses no cookie, and a browser's
  // cross-site form post still carries an Origin or Fetch Metadata, refused below.
  const tokenForm =
    contentType === 'application/x-www-form-urlencoded' && req.url.split('?')[0] === '/oauth/token';
  if (contentType !== 'application/json' && !tokenForm) return 'CSRF_REJECTED';
  const origin = req.headers.origin;
  if (origin !== undefined) return allowedOrigins.has(origin) ? null : 'CSRF_REJECTED';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'CSRF_REJECTED';
  return null;
}

/**
 * Content-Security-Policy for the Connect UI: nothing from other hosts, no framing. The one
 * exception is the host's logo (PLUGBOARD_BRAND_LOGO_URL): images from exactly its origin.
 */
export function contentSecurityPolicy(opts: { logoUrl?: string | null } = {}): string {
  const logoOrigin = opts.logoUrl ? new URL(opts.logoUrl).origin : null;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${logoOrigin ? ` ${logoOrigin}` : ''}`,
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Path without the query: queries carry codes, states and tokens and never reach a log. */
export function pathOnly(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}
