import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from './trpc';

/**
 * Starts an OAuth attempt and sends the browser to the provider. The mutation stays in its
 * success state until the page unloads, so the button keeps saying "Redirecting…" meanwhile.
 */
export function useStartOAuth() {
  const trpc = useTRPC();
  const mutation = useMutation(
    trpc.connect.oauth.start.mutationOptions({
      onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
    }),
  );

  const { reset } = mutation;
  useEffect(() => {
    // Coming back from the provider with the Back button can restore this page from the
    // back/forward cache, frozen mid-redirect: make the buttons usable again.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [reset]);

  const redirecting = mutation.isPending || mutation.isSuccess;
  return {
    start: mutation.mutate,
    /** The provider being redirected to, while a redirect is under way. */
    redirectingTo: redirecting ? mutation.variables?.providerId : undefined,
    busy: redirecting,
    error: mutation.error,
    failedProviderId: mutation.isError ? mutation.variables.providerId : undefined,
    reset,
  };
}
