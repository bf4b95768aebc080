import type { AppRouter, PlugboardErrorData, RouterInputs, RouterOutputs } from '@plugboard/api';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

export type { AppRouter, PlugboardErrorData, RouterInputs, RouterOutputs };

export interface PlugboardClientOptions {
  /** Where Plugboard runs, e.g. `https://connect.example.com`. */
  url: string;
  /** A server API key (`pk_…`). Keep it on your backend: it can read every credential. */
  apiKey: string;
  fetch?: typeof fetch;
}

/**
 * The typed client of Plugboard's server API for host-app backends:
 * `const plugboard = createPlugboardClient({ url, apiKey });`
 * `const { connectLinkUrl } = await plugboard.connectTokens.create.mutate({ externalUserId });`
 */
export function createPlugboardClient(options: PlugboardClientOptions) {
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, '')}/trpc`,
        maxItems: 10,
        headers: () => ({ authorization: `Bearer ${options.apiKey}` }),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
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
