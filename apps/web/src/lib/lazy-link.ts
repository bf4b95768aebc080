import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { observable } from '@trpc/server/observable';

/**
 * A terminating tRPC link whose code downloads with its first operation
 * (https://trpc.io/docs/client/links#creating-a-custom-link). The Connect UI subscribes only
 * during Telegram's QR sign-in, so the server-sent-events link waits until then.
 */
export function lazyLink<TRouter extends AnyRouter>(
  load: () => Promise<TRPCLink<TRouter>>,
): TRPCLink<TRouter> {
  return (runtime) => {
    let operationLink: Promise<ReturnType<TRPCLink<TRouter>>> | null = null;
    return ({ op, next }) =>
      observable((observer) => {
        let unsubscribe: (() => void) | null = null;
        let stopped = false;
        operationLink ??= load().then((link) => link(runtime));
        operationLink.then(
          (link) => {
            if (!stopped) unsubscribe = link({ op, next }).subscribe(observer).unsubscribe;
          },
          (cause: unknown) => {
            // A failed download may work next time.
            operationLink = null;
            const error = cause instanceof Error ? cause : new Error(String(cause));
            if (!stopped) observer.error(TRPCClientError.from(error));
          },
        );
        return () => {
          stopped = true;
          unsubscribe?.();
        };
      });
  };
}
