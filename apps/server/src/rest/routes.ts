import type { SERVER_PROCEDURE_SCOPES } from '@plugboard/api';

/** A `server.*` procedure's path, e.g. `server.connections.get` (packages/api/src/scopes.ts). */
export type ServerProcedure = keyof typeof SERVER_PROCEDURE_SCOPES;

export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Methods whose input fields (beyond the path) come from a JSON body; the others use the query. */
export const hasBody = (method: RestMethod) => method === 'POST' || method === 'PATCH';

export interface RestRoute {
  procedure: ServerProcedure;
  method: RestMethod;
  /** Under `/v1`, OpenAPI-style: `{name}` is an input field taken from the path. */
  path: `/${string}`;
  /** One line for the reference page. */
  summary: string;
  /**
   * A create: answers 201 and accepts `Idempotency-Key` (rest/idempotency.ts). Other POSTs
   * (complete, credentials) are safe to repeat as they are.
   */
  create?: true;
}

/**
 * The REST twin of every `server.*` procedure: method and resource path. Input and output come
 * from the procedure's own zod schemas (rest/openapi.ts, rest/plugin.ts); this table only says
 * where each one lives. A procedure missing here fails rest/routes.test.ts — adding one is one
 * line. GET and DELETE take the other input fields from the query, POST and PATCH from a JSON
 * body.
 */
export const REST_ROUTES: readonly RestRoute[] = [
  {
    procedure: 'server.connectTokens.create',
    method: 'POST',
    path: '/connect-tokens',
    create: true,
    summary: 'Mint a connect token (and link) for an end user',
  },
  {
    procedure: 'server.oauth.start',
    method: 'POST',
    path: '/oauth/attempts',
    create: true,
    summary: 'Start a headless OAuth attempt: send the browser to authorizationUrl',
  },
  {
    procedure: 'server.oauth.complete',
    method: 'POST',
    path: '/oauth/attempts/{attemptId}/complete',
    summary: "An attempt's outcome and its connection, after the browser came back",
  },
  {
    procedure: 'server.connections.list',
    method: 'GET',
    path: '/connections',
    summary: 'List connections, newest first; page with cursor',
  },
  {
    procedure: 'server.connections.get',
    method: 'GET',
    path: '/connections/{connectionId}',
    summary: 'Get one connection',
  },
  {
    procedure: 'server.connections.delete',
    method: 'DELETE',
    path: '/connections/{connectionId}',
    summary: 'Revoke at the provider where it can, then delete the connection',
  },
  {
    procedure: 'server.connections.credentials',
    method: 'POST',
    path: '/connections/{connectionId}/credentials',
    summary: 'Fresh credentials, refreshed at the provider when due (audited)',
  },
  {
    procedure: 'server.connections.proxy',
    method: 'POST',
    path: '/connections/{connectionId}/proxy',
    summary:
      "Call the provider's API as JSON with this connection's credentials (the streaming form is /v1/proxy/…)",
  },
  {
    procedure: 'server.webhooks.create',
    method: 'POST',
    path: '/webhooks',
    create: true,
    summary: 'Register a webhook endpoint; its signing secret is in this answer only',
  },
  {
    procedure: 'server.webhooks.list',
    method: 'GET',
    path: '/webhooks',
    summary: 'List webhook endpoints',
  },
  {
    procedure: 'server.webhooks.delete',
    method: 'DELETE',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
  },
  {
    procedure: 'server.webhooks.deliveries',
    method: 'GET',
    path: '/webhooks/deliveries',
    summary: 'Recent webhook deliveries with their attempts and last error',
  },
  {
    procedure: 'server.auditLog.list',
    method: 'GET',
    path: '/audit-log',
    summary: 'Who did what, newest first; page with cursor',
  },
  {
    procedure: 'server.apiKeys.create',
    method: 'POST',
    path: '/api-keys',
    create: true,
    summary: 'Create an API key; the key is in this answer only',
  },
  { procedure: 'server.apiKeys.list', method: 'GET', path: '/api-keys', summary: 'List API keys' },
  {
    procedure: 'server.apiKeys.revoke',
    method: 'DELETE',
    path: '/api-keys/{id}',
    summary: 'Revoke an API key (it stays listed, with revokedAt)',
  },
  {
    procedure: 'server.apiClients.create',
    method: 'POST',
    path: '/api-clients',
    create: true,
    summary: 'Create an API client for POST /oauth/token; the secret is in this answer only',
  },
  {
    procedure: 'server.apiClients.list',
    method: 'GET',
    path: '/api-clients',
    summary: 'List API clients',
  },
  {
    procedure: 'server.apiClients.revoke',
    method: 'DELETE',
    path: '/api-clients/{id}',
    summary: 'Revoke an API client and end its access tokens',
  },
  {
    procedure: 'server.integrations.list',
    method: 'GET',
    path: '/integrations',
    summary: "Every provider's configuration in effect, each value with its source; no secret",
  },
  {
    procedure: 'server.integrations.get',
    method: 'GET',
    path: '/integrations/{providerId}',
    summary: "One provider's configuration in effect",
  },
  {
    procedure: 'server.integrations.upsert',
    method: 'PATCH',
    path: '/integrations/{providerId}',
    summary:
      "Change a provider's client, scopes, mode or enabled flag (absent: kept; null: cleared)",
  },
  {
    procedure: 'server.integrations.disable',
    method: 'POST',
    path: '/integrations/{providerId}/disable',
    summary: 'Turn a provider off: not listed, no new flows; existing connections kept',
  },
];

/** `/connections/{connectionId}` → `/connections/:connectionId` (Fastify's syntax). */
export const fastifyPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/** The `{name}` segments of a path. */
export const pathParams = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
