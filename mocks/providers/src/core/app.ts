import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyControlRoute } from '../control/api-keys';
import { registerControlRoutes } from '../control/control-routes';
import type { Account } from './accounts';
import type { ClientsByProvider } from './clients';
import { defaultFaultResponse } from './faults';
import { CodeStore, PendingConsents, TokenStore } from './grants';
import { ProviderIssuer } from './jwt';
import { MockState } from './mock-state';
import type { ControlRoute, Personality, ProviderContext, ProviderRoute } from './personality';
import type { ProviderRouter } from './personality';

export interface MockAppOptions {
  clients: ClientsByProvider;
  personalities: readonly Personality[];
}

export interface MockApp {
  app: FastifyInstance;
  state: MockState;
}

/** Builds the server (not yet listening): control API plus one plugin per personality. */
export function buildMockApp(opts: MockAppOptions): MockApp {
  const state = new MockState(opts.clients, opts.personalities);
  // Fastify for routing, body parsing and hooks: per-route hooks are where faults and the
  // request log attach, so personalities only write handlers.
  const app = Fastify({ logger: false });
  void app.register(formbody);
  // Uploads (Drive's media upload, the data API's echo, core/data-api.ts) arrive as raw bytes.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.setErrorHandler((error: { statusCode?: number; message?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    // Parse errors (bad JSON, wrong content type) are the client's fault; say so OAuth-style.
    return reply
      .status(status)
      .send(
        status < 500
          ? { error: 'invalid_request', error_description: error.message ?? 'Bad request.' }
          : { error: 'server_error', error_description: 'Unexpected error in the mock provider.' },
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      error_description: `The mock has no route for ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );

  registerControlRoutes(app, state);
  const personalControlRoutes: ControlRoute[] = [];
  for (const personality of state.personalities.values()) {
    void app.register(
      async (scope) => {
        personality.register(
          createRouter(scope, state, personality),
          createContext(state, personality, personalControlRoutes),
        );
      },
      { prefix: `/${personality.id}` },
    );
  }
  // Registered after the personalities: plugins load in order, so by now every
  // `ctx.controlRoute` call has been made (paths already carry `/<id>`).
  void app.register(
    async (control) => {
      for (const route of [...personalControlRoutes, apiKeyControlRoute(personalControlRoutes)]) {
        control.route({ method: route.method, url: route.path, handler: route.handler });
      }
    },
    { prefix: '/__control' },
  );
  return { app, state };
}

function createRouter(
  scope: FastifyInstance,
  state: MockState,
  personality: Personality,
): ProviderRouter {
  const router: ProviderRouter = {
    get: (path, endpoint, handler) => router.route({ method: 'GET', path, endpoint, handler }),
    post: (path, endpoint, handler) => router.route({ method: 'POST', path, endpoint, handler }),
    route(route: ProviderRoute) {
      if (!personality.endpoints.includes(route.endpoint)) {
        throw new Error(
          `${personality.id}: route ${route.path} uses endpoint "${route.endpoint}", which is not in its endpoints list.`,
        );
      }
      const logPath = (request: FastifyRequest): string =>
        route.logRoutePattern === true
          ? `/${personality.id}${route.path}`
          : (request.url.split('?')[0] ?? request.url);
      const arrivedAt = new WeakMap<FastifyRequest, string>();
      state.routes.push({
        provider: personality.id,
        method: route.method,
        path: `/${personality.id}${route.path}`,
        endpoint: route.endpoint,
      });

      scope.route({
        method: route.method,
        url: route.path,
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          arrivedAt.set(request, state.clock.toISOString());
          const fault = state.faults.take(
            personality.id,
            route.endpoint,
            (kind) => kind !== 'omit_refresh_token',
          );
          // omit_refresh_token never comes here (see the filter), but the type does not know.
          if (fault === undefined || fault.kind === 'omit_refresh_token') return;
          if (fault.kind === 'timeout') {
            // Hijacked requests never reach onResponse, so log them now, unanswered.
            state.log.record({
              at: state.clock.toISOString(),
              provider: personality.id,
              endpoint: route.endpoint,
              method: request.method,
              path: logPath(request),
              status: null,
            });
            state.held.hold(request, reply);
            return;
          }
          const response =
            personality.faultResponse?.(fault.kind, route.endpoint, {
              retryAfterSeconds: fault.retryAfterSeconds,
            }) ?? defaultFaultResponse(fault.kind);
          if (fault.kind === 'rate_limit' && response.retryAfterHeader !== false) {
            reply.header('retry-after', String(fault.retryAfterSeconds));
          }
          return reply
            .headers(response.headers ?? {})
            .status(response.status)
            .send(response.body);
        },
        preHandler: async (request: FastifyRequest) => {
          state.refreshOmissions.arm(personality.id, route.endpoint, request);
        },
        onSend: async (request: FastifyRequest, _reply: FastifyReply, payload: unknown) =>
          state.refreshOmissions.strip(request, payload),
        onResponse: async (request: FastifyRequest, reply: FastifyReply) => {
          state.log.record({
            at: arrivedAt.get(request) ?? state.clock.toISOString(),
            provider: personality.id,
            endpoint: route.endpoint,
            method: request.method,
            path: logPath(request),
            status: reply.statusCode,
          });
        },
        handler: route.handler,
      });
    },
  };
  return router;
}

function createContext<TAccount extends Account>(
  state: MockState,
  personality: Personality<TAccount>,
  controlRoutes: ControlRoute[],
): ProviderContext<TAccount> {
  let issuer: Promise<ProviderIssuer> | undefined;
  const baseUrl = (): string => `${state.baseUrl}/${personality.id}`;
  const track = <S extends { reset(): void }>(store: S): S => {
    state.onReset(() => store.reset());
    return store;
  };
  return {
    id: personality.id,
    clock: state.clock,
    findClient: (clientId) => state.clients.find(personality.id, clientId),
    findClientBySecret: (secret) => state.clients.findBySecret(personality.id, secret),
    currentAccount: () => state.accounts.current(personality.id, personality.defaultAccount),
    baseUrl,
    // Keys survive reset on purpose: a client may have cached the JWKS.
    issuer: () => (issuer ??= ProviderIssuer.create(baseUrl(), state.clock)),
    codeStore: (opts) => track(new CodeStore(state.clock, opts)),
    tokenStore: (opts) =>
      track(new TokenStore(state.clock, opts, (t) => state.refreshOmissions.keepOnce(t))),
    pendingConsents: (ttlSeconds) => track(new PendingConsents(state.clock, ttlSeconds)),
    onReset: (reset) => state.onReset(reset),
    controlRoute: (route) =>
      controlRoutes.push({ ...route, path: `/${personality.id}${route.path}` }),
  };
}
