import { hasScope, PlugboardError, type Scope } from '@plugboard/contracts';
import type { Principal } from '@plugboard/core';

/**
 * The one place each `server.*` procedure names the scope it needs (checked by
 * `apiKeyProcedure` in trpc.ts). A procedure missing here needs `admin` (fail closed), and
 * scopes.test.ts fails until it is listed.
 */
export const SERVER_PROCEDURE_SCOPES = {
  'server.connectTokens.create': 'connect_tokens:write',
  'server.oauth.start': 'connections:write',
  'server.oauth.complete': 'connections:write',
  'server.connections.list': 'connections:read',
  'server.connections.get': 'connections:read',
  'server.connections.delete': 'connections:write',
  'server.connections.credentials': 'credentials:read',
  'server.connections.proxy': 'connections:proxy',
  'server.webhooks.create': 'webhooks:manage',
  'server.webhooks.list': 'webhooks:manage',
  'server.webhooks.delete': 'webhooks:manage',
  'server.webhooks.deliveries': 'webhooks:manage',
  'server.auditLog.list': 'audit_log:read',
  'server.apiKeys.create': 'admin',
  'server.apiKeys.list': 'admin',
  'server.apiKeys.revoke': 'admin',
  'server.apiClients.create': 'admin',
  'server.apiClients.list': 'admin',
  'server.apiClients.revoke': 'admin',
  'server.integrations.list': 'admin',
  'server.integrations.get': 'admin',
  'server.integrations.upsert': 'admin',
  'server.integrations.disable': 'admin',
} as const satisfies Record<string, Scope>;

/** What `ANY /v1/proxy/{connectionId}/…` needs (apps/server/src/routes/proxy.ts), as does its tRPC twin. */
export const PROXY_SCOPE = 'connections:proxy' satisfies Scope;

export function requiredScope(path: string): Scope {
  return (SERVER_PROCEDURE_SCOPES as Record<string, Scope>)[path] ?? 'admin';
}

/** 403 SCOPE_MISSING naming the scope, unless the caller holds it (or `admin`). */
export function requireScope(principal: Principal, path: string): void {
  const scope = requiredScope(path);
  if (!hasScope(principal.scopes, scope)) {
    throw new PlugboardError(
      'SCOPE_MISSING',
      `This call needs the scope "${scope}", which this ${principal.kind === 'api_key' ? 'API key' : 'API client'} does not have.`,
    );
  }
}
