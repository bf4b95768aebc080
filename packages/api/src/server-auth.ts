import { hasScope, PlugboardError, type Scope } from '@plugboard/contracts';
import { authenticateBearer, type CoreDeps, type Principal } from '@plugboard/core';
import type { Em } from '@plugboard/db';

/**
 * How a server-API call outside tRPC (the REST routes, /v1/proxy) authenticates: the same
 * `Authorization: Bearer <API key | client access token>` parse as the tRPC context
 * (apps/server/src/routes/trpc.ts) and the same `authenticateBearer` as `apiKeyProcedure`
 * (trpc.ts), then the one scope the route needs (`admin` implies every scope).
 */
export function bearerOf(authorization: string | undefined): string | undefined {
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
}

export async function authenticateServerRequest(
  em: Em,
  deps: Pick<CoreDeps, 'clock'>,
  authorization: string | undefined,
  scope: Scope,
): Promise<Principal> {
  const principal = await authenticateBearer(em, deps, bearerOf(authorization));
  if (!hasScope(principal.scopes, scope)) {
    throw new PlugboardError(
      'SCOPE_MISSING',
      `This call needs the scope "${scope}", which this ${principal.kind === 'api_key' ? 'API key' : 'API client'} does not have.`,
    );
  }
  return principal;
}
