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
  // /v1 (REST, and the proxy, which forwards any body to the provider) reads no cookie, only
  // `Authorization: Bearer`: any body type or none (a curl DELETE has no Content-Type). A
  // browser's cross-site request still carries an Origin or Fetch Metadata, refused below.
  const bearerOnly = req.url.startsWith('/v1/');
  if (contentType !== 'application/json' && !tokenForm && !bearerOnly) return 'CSRF_REJECTED';
  const origin = req.headers.origin;
  if (origin !== undefined) return allowedOrigins.has(origin) ? null : 'CSRF_REJECTED';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'CSRF_REJECTED';
  return null;
}

/**
 * Content-Security-Policy for the Connect UI: nothing from other hosts, no framing. The one
 * exception is the host's logo (PLUGBOARD_BRAND_LOGO_URL): images from exactly its origin.
 * `frameAncestors` is set only for a session whose connect token listed allowedOrigins (see
 * `framingHeaders`).
 */
export function contentSecurityPolicy(
  opts: { logoUrl?: string | null; frameAncestors?: readonly string[] } = {},
): string {
  const logoOrigin = opts.logoUrl ? new URL(opts.logoUrl).origin : null;
  const ancestors = opts.frameAncestors?.length ? opts.frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data:${logoOrigin ? ` ${logoOrigin}` : ''}`,
    "connect-src 'self'",
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/**
 * Framing and opener policy, per session (README.md "Embed in your app"). Every page is
 * unframeable (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`) and isolated from its
 * opener (`Cross-Origin-Opener-Policy: same-origin`) — except the pages of a session whose
 * connect token named `allowedOrigins`: exactly those origins may frame them (CSP
 * frame-ancestors; X-Frame-Options has no allow-list, so it is left out, and CSP Level 2
 * browsers obey frame-ancestors over it anyway) and the window that opened them keeps its
 * reference (`unsafe-none`), so the SDK sees the popup close and the result arrive. The origins
 * are exact origins validated at mint time (contracts CreateConnectTokenInputSchema), never `*`.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/frame-ancestors
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Opener-Policy
 */
const UNFRAMED = new Map<string, ReturnType<typeof framingHeaders>>();

export function framingHeaders(
  embedOrigins: readonly string[],
  opts: { logoUrl?: string | null } = {},
): { csp: string; xFrameOptions: string | null; coop: string } {
  if (embedOrigins.length === 0) {
    // Every response that is not an embedded session's (API calls included) gets these: built
    // once per logo URL instead of per response.
    const logo = opts.logoUrl ?? '';
    let headers = UNFRAMED.get(logo);
    if (!headers) {
      headers = { csp: contentSecurityPolicy(opts), xFrameOptions: 'DENY', coop: 'same-origin' };
      if (UNFRAMED.size < 16) UNFRAMED.set(logo, headers);
    }
    return headers;
  }
  return {
    csp: contentSecurityPolicy({ ...opts, frameAncestors: embedOrigins }),
    xFrameOptions: null,
    coop: 'unsafe-none',
  };
}

/** Path without the query: queries carry codes, states and tokens and never reach a log. */
export function pathOnly(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}
