// The tRPC packages' entries loaded as second modules (vite.config.ts `trpcSubscriptionChunk`).
declare module '@trpc/client?subscription' {
  export { httpSubscriptionLink } from '@trpc/client';
}
declare module '@trpc/tanstack-react-query?subscription' {
  export { useSubscription } from '@trpc/tanstack-react-query';
}
