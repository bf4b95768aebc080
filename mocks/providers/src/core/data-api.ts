/**
 * The data endpoints a personality serves beside its OAuth ones (`<id>/data.ts`): a realistic
 * API call or two that check the token exactly as the provider does, so API clients and
 * Plugboard's proxy (/v1/proxy) can be tested against them. Every data route uses the endpoint
 * name `data`, so the usual faults apply (`rate_limit` answers the provider's 429 with
 * Retry-After). On top, one control per personality for what faults do not cover:
 *
 *   POST /__control/<id>/data/faults  { kind: 'unauthorized' | 'unavailable', count?, retryAfterSeconds? }
 *
 * `unauthorized` makes the next `count` data calls refuse their token with the provider's own
 * 401 (as for a token revoked at the provider), `unavailable` answers the provider's 503 with
 * Retry-After. And an echo for body-size tests: `POST /<id>/__control/echo` with the provider's
 * auth sends the request body back (octet-stream), with `x-echo-bytes` and `x-echo-sha256`.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BearerRoute } from './bearer';
import { parseBearer } from './oauth';
import type { ProviderContext, ProviderRouter } from './personality';

export const DATA_ENDPOINT = 'data';

type DataFaultKind = 'unauthorized' | 'unavailable';

export interface DataApiOptions<G> {
  /** How the provider finds the grant of a token (and refuses it); `before` as in bearerRoute. */
  find: (token: string, request: FastifyRequest) => G | undefined;
  refuse: BearerRoute<G>['refuse'];
  before?: BearerRoute<G>['before'];
  /** The provider's 503 body. */
  unavailable: (reply: FastifyReply) => unknown;
  /** Where the token is read from, if not `Authorization: Bearer` (Shopify's header). */
  token?: (request: FastifyRequest) => string | undefined;
  /** Where the echo lives below the prefix (Shopify's is per store: `/store/:shop/…`). */
  echoPath?: string;
  /** The path carries the token (Telegram's `/bot<token>/…`): log route patterns only. */
  logRoutePattern?: boolean;
}

export interface DataRoute<G> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  handle: (grant: G, request: FastifyRequest, reply: FastifyReply) => unknown;
}

export interface DataApi<G> {
  route(route: DataRoute<G>): void;
}

export function dataApi<G>(
  router: ProviderRouter,
  ctx: ProviderContext,
  opts: DataApiOptions<G>,
): DataApi<G> {
  const queued: { kind: DataFaultKind; remaining: number; retryAfterSeconds: number }[] = [];
  ctx.onReset(() => (queued.length = 0));
  ctx.controlRoute({
    method: 'POST',
    path: '/data/faults',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const kind = body['kind'];
      const count = body['count'] ?? 1;
      const retryAfterSeconds = body['retryAfterSeconds'] ?? 30;
      if (kind !== 'unauthorized' && kind !== 'unavailable') {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"kind" must be unauthorized or unavailable.',
        });
      }
      if (!Number.isInteger(count) || (count as number) < 1) {
        return reply
          .status(400)
          .send({ error: 'invalid_request', message: '"count" must be an integer ≥ 1.' });
      }
      if (!Number.isInteger(retryAfterSeconds) || (retryAfterSeconds as number) < 0) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"retryAfterSeconds" must be a non-negative integer.',
        });
      }
      queued.push({
        kind,
        remaining: count as number,
        retryAfterSeconds: retryAfterSeconds as number,
      });
      return reply.status(201).send({ queued: queued.length });
    },
  });

  const takeFault = () => {
    const fault = queued[0];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queued.shift();
    return fault;
  };

  const readToken = opts.token ?? ((request) => parseBearer(request.headers.authorization));
  const route = (r: DataRoute<G>) =>
    router.route({
      method: r.method ?? 'GET',
      path: r.path,
      endpoint: DATA_ENDPOINT,
      ...(opts.logRoutePattern ? { logRoutePattern: true } : {}),
      handler: async (request, reply) => {
        const early = await opts.before?.(request, reply);
        if (early !== undefined) return early;
        const token = readToken(request);
        // A queued `unauthorized` fault makes a live token look revoked, once per count.
        const revoked = token !== undefined && queued[0]?.kind === 'unauthorized';
        if (revoked) takeFault();
        const grant = token === undefined || revoked ? undefined : opts.find(token, request);
        if (grant === undefined) return opts.refuse(reply, token);
        if (queued[0]?.kind === 'unavailable') {
          const fault = takeFault()!;
          reply.header('retry-after', String(fault.retryAfterSeconds));
          return opts.unavailable(reply.status(503));
        }
        return r.handle(grant, request, reply);
      },
    });

  route({
    method: 'POST',
    path: opts.echoPath ?? '/__control/echo',
    handle: (_grant, request, reply) => {
      const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('x-echo-bytes', String(bytes.length))
        .header('x-echo-sha256', createHash('sha256').update(bytes).digest('hex'))
        .send(bytes);
    },
  });
  return { route };
}
