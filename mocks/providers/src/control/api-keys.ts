import type { ControlRoute } from '../core/personality';

/**
 * `POST /__control/api-keys` with `{ "provider": "<api_key provider id>", …}`: issues a
 * credential the mock then accepts, answering `{ "values": { <field>: string } }` — exactly what
 * to type into the provider's form. It dispatches to the personality that emulates that
 * provider (its `/__control/<personality>/api-keys/<provider>`, core/api-keys.ts), so no list
 * of providers is kept here.
 */
export function apiKeyControlRoute(personalRoutes: readonly ControlRoute[]): ControlRoute {
  return {
    method: 'POST',
    path: '/api-keys',
    handler: async (request, reply) => {
      const provider = (request.body as { provider?: unknown } | undefined)?.provider;
      const route =
        typeof provider === 'string'
          ? personalRoutes.find(
              (r) => r.method === 'POST' && r.path.endsWith(`/api-keys/${provider}`),
            )
          : undefined;
      if (!route) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"provider" must be the id of a provider that connects with an API key.',
        });
      }
      return route.handler(request, reply);
    },
  };
}
