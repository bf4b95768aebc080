import type { AppRouter } from '@plugboard/api';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function createPlugboardTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: '/trpc',
        // Batched GETs put every input in the URL; stay well below what proxies accept.
        maxURLLength: 2000,
        // The session cookie is HttpOnly and same-origin: never send it anywhere else.
        fetch: (url, options) => fetch(url, { ...options, credentials: 'same-origin' }),
      }),
    ],
  });
}
