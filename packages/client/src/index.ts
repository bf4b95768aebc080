import type { AppRouter, PlugboardErrorData, RouterInputs, RouterOutputs } from '@plugboard/api';
import { SCOPES, type Scope } from '@plugboard/contracts';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { clientCredentials, type TokenSource } from './client-credentials';

export type { AppRouter, PlugboardErrorData, RouterInputs, RouterOutputs, Scope };
/** Every scope a server-API key or client can hold (packages/contracts/src/api-auth.ts). */
export { SCOPES };
export { PlugboardTokenError } from './client-credentials';

/** A server API key (`pk_…`). Keep it on your backend: it can do what its scopes allow. */
export interface ApiKeyAuth {
  apiKey: string;
}

/**
 * An API client (OAuth 2.0 client credentials): the client fetches a short-lived access token
 * from `POST /oauth/token` itself, renews it before it expires, and once more on a 401.
 */
export interface ClientCredentialsAuth {
  clientId: string;
  clientSecret: string;
  /** A subset of the client's scopes for the tokens; omitted: all of them. */
  scopes?: Scope[];
}

export type PlugboardClientOptions = {
  /** Where Plugboard runs, e.g. `https://connect.example.com`. */
  url: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch, for token renewal (tests move it); default `Date.now`. */
  now?: () => number;
} & (ApiKeyAuth | ClientCredentialsAuth);

/**
 * The typed client of Plugboard's server API for host-app backends:
 * `const plugboard = createPlugboardClient({ url, apiKey })` or
 * `createPlugboardClient({ url, clientId, clientSecret })`, then
 * `const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({ externalUserId });`
 */
export function createPlugboardClient(options: PlugboardClientOptions) {
  const baseUrl = options.url.replace(/\/$/, '');
  const baseFetch = options.fetch ?? globalThis.fetch;
  const tokens: TokenSource =
    'apiKey' in options
      ? { token: async () => options.apiKey, renewable: false, invalidate: () => undefined }
      : clientCredentials({
          tokenUrl: `${baseUrl}/oauth/token`,
          clientId: options.clientId,
          clientSecret: options.clientSecret,
          ...(options.scopes ? { scopes: options.scopes } : {}),
          fetch: baseFetch,
          now: options.now ?? Date.now,
        });

  const authedFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const send = async (token: string) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${token}`);
      return baseFetch(input, { ...init, headers });
    };
    const used = await tokens.token();
    const response = await send(used);
    if (response.status !== 401 || !tokens.renewable) return response;
    // Revoked, expired early or rotated: one fresh token, one retry (a 401 ran no procedure).
    tokens.invalidate(used);
    return send(await tokens.token());
  };

  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl}/trpc`, maxItems: 10, fetch: authedFetch })],
  });
  return client.server;
}

export type PlugboardClient = ReturnType<typeof createPlugboardClient>;

/** The stable error code of a failed call (`API_KEY_INVALID`, `VALIDATION_FAILED`, …), if any. */
export function plugboardErrorCode(err: unknown): PlugboardErrorData['code'] | undefined {
  if (err instanceof TRPCClientError) {
    const data = (err as TRPCClientError<AppRouter>).data as PlugboardErrorData | undefined;
    return data?.code;
  }
  return undefined;
}
