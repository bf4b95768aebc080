import { normalizeIP } from '@fastify/rate-limit';
import { issueClientCredentialsToken, TokenError, type TokenErrorCode } from '@plugboard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { perMinute, type RouteContext } from './context';

/**
 * POST /oauth/token: the OAuth 2.0 client credentials grant for API clients (RFC 6749 §4.4,
 * https://datatracker.ietf.org/doc/html/rfc6749#section-4.4). The client authenticates with
 * HTTP Basic or with client_id/client_secret in the body (§2.3.1), as form or JSON; errors are
 * §5.2's (`invalid_client` is 401 with WWW-Authenticate); every answer is `no-store` (§5.1).
 * Wrong secrets are counted per client IP: past OAUTH_TOKEN_FAILURES_PER_MINUTE, 429.
 */

const BODY_LIMIT = 8 * 1024;
const WINDOW_MS = 60_000;
const FAILURE_BUCKETS_MAX = 10_000;

/** Wrong-secret counts per client IP in fixed one-minute windows, in this instance's memory. */
function failureCounter(max: number) {
  const buckets = new Map<string, { count: number; resetAt: number }>();
  return {
    retryAfterSeconds(ip: string, now = Date.now()): number | null {
      const b = buckets.get(ip);
      if (!b || b.resetAt <= now || b.count < max) return null;
      return Math.max(1, Math.ceil((b.resetAt - now) / 1000));
    },
    fail(ip: string, now = Date.now()): void {
      const b = buckets.get(ip);
      if (b && b.resetAt > now) b.count += 1;
      else {
        if (buckets.size >= FAILURE_BUCKETS_MAX) buckets.clear();
        buckets.set(ip, { count: 1, resetAt: now + WINDOW_MS });
      }
    },
  };
}

const STATUS: Record<TokenErrorCode, number> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_scope: 400,
  unsupported_grant_type: 400,
};

function sendTokenError(reply: FastifyReply, e: TokenError) {
  if (e.error === 'invalid_client') reply.header('www-authenticate', 'Basic realm="plugboard"');
  return reply
    .code(STATUS[e.error])
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send({ error: e.error, error_description: e.description });
}

type Params = Map<string, string[]>;

/** The request's parameters, each with every value it was sent with (repeats are refused). */
function paramsOf(req: FastifyRequest): Params {
  const params: Params = new Map();
  const add = (k: string, v: string) => params.set(k, [...(params.get(k) ?? []), v]);
  const body = req.body;
  if (body instanceof URLSearchParams) for (const [k, v] of body) add(k, v);
  else if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v !== 'string') {
        throw new TokenError('invalid_request', `${k.slice(0, 40)} must be a string.`);
      }
      add(k, v);
    }
  } else if (body !== undefined && body !== null) {
    throw new TokenError('invalid_request', 'Send the parameters as a form or a JSON object.');
  }
  return params;
}

function one(params: Params, name: string): string | undefined {
  const values = params.get(name);
  if (!values) return undefined;
  if (values.length > 1)
    throw new TokenError('invalid_request', `${name} was sent more than once.`);
  return values[0];
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined with ":" and base64-encoded. */
function basicCredentials(header: string): { clientId: string; clientSecret: string } {
  const bad = () => new TokenError('invalid_client', 'Client authentication failed.');
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw bad();
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      throw bad();
    }
  };
  return {
    clientId: formDecode(decoded.slice(0, colon)),
    clientSecret: formDecode(decoded.slice(colon + 1)),
  };
}

export function registerOAuthTokenRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const failures = failureCounter(ctx.env.oauthTokenFailuresPerMinute);

  void app.register(async (scope) => {
    // Forms are parsed with the WHATWG URLSearchParams (Node's own), only inside this plugin.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, new URLSearchParams(body as string)),
    );

    scope.post(
      '/oauth/token',
      { bodyLimit: BODY_LIMIT, ...perMinute(ctx.env, 120) },
      async (req, reply) => {
        const ip = normalizeIP(req.ip);
        const retryAfter = failures.retryAfterSeconds(ip);
        if (retryAfter !== null) {
          return reply
            .code(429)
            .header('retry-after', String(retryAfter))
            .header('cache-control', 'no-store')
            .send({
              error: 'rate_limited',
              error_description: `Too many failed client authentications. Try again in ${retryAfter} s.`,
            });
        }
        try {
          const params = paramsOf(req);
          const grantType = one(params, 'grant_type');
          if (!grantType) throw new TokenError('invalid_request', 'grant_type is required.');
          if (grantType !== 'client_credentials') {
            throw new TokenError(
              'unsupported_grant_type',
              'Only grant_type=client_credentials is supported.',
            );
          }
          const bodyId = one(params, 'client_id');
          const bodySecret = one(params, 'client_secret');
          const auth = req.headers.authorization;
          let credentials: { clientId: string; clientSecret: string };
          if (auth && /^basic /i.test(auth)) {
            // §2.3: a client MUST NOT use more than one authentication method in a request.
            if (bodySecret !== undefined) {
              throw new TokenError(
                'invalid_request',
                'Authenticate with HTTP Basic or with client_secret in the body, not both.',
              );
            }
            credentials = basicCredentials(auth);
            if (bodyId !== undefined && bodyId !== credentials.clientId) {
              throw new TokenError('invalid_request', 'client_id differs from the Basic user.');
            }
          } else if (bodyId !== undefined && bodySecret !== undefined) {
            credentials = { clientId: bodyId, clientSecret: bodySecret };
          } else {
            throw new TokenError(
              'invalid_client',
              'Send client_id and client_secret with HTTP Basic or in the body.',
            );
          }
          const scopeParam = one(params, 'scope');
          const token = await issueClientCredentialsToken(ctx.orm.em.fork(), ctx.deps, {
            ...credentials,
            scope: scopeParam,
          }).catch((e: unknown) => {
            if (e instanceof TokenError && e.error === 'invalid_client') failures.fail(ip);
            throw e;
          });
          return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(token);
        } catch (e) {
          if (e instanceof TokenError) return sendTokenError(reply, e);
          throw e;
        }
      },
    );
  });
}
