// @trpc/client's entry loaded as a second module (vite.config.ts `trpcSubscriptionLinkChunk`).
declare module '@trpc/client?subscription' {
  export { httpSubscriptionLink } from '@trpc/client';
}
