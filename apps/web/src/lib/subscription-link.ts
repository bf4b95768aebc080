// Loaded with the first subscription (see lazy-link.ts). `?subscription` makes Vite load
// @trpc/client's index as a second module (vite.config.ts, `trpcSubscriptionChunk`), so
// httpSubscriptionLink and the SSE stream code it needs leave the entry chunk: tRPC ships all
// of its links in that one file, and a bundler splits chunks by module.
export { httpSubscriptionLink } from '@trpc/client?subscription';
