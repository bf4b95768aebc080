import type { AppRouter } from '@plugboard/api';
import { createTRPCClient, httpBatchLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { lazyLink } from './lazy-link';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function createPlugboardTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Server-sent events: a same-origin EventSource sends the session cookie by itself, and
        // reconnects with the last tracked event id. Only Telegram's QR sign-in subscribes, so
        // the link downloads then.
        true: lazyLink(() =>
          import('./subscription-link').then(({ httpSubscriptionLink }) =>
            httpSubscriptionLink({ url: '/trpc' }),
          ),
        ),
        false: httpBatchLink({
          url: '/trpc',
          // Batched GETs put every input in the URL; stay well below what proxies accept.
          maxURLLength: 2000,
          // The session cookie is HttpOnly and same-origin: never send it anywhere else.
          fetch: (url, options) => fetch(url, { ...options, credentials: 'same-origin' }),
        }),
      }),
    ],
  });
}
