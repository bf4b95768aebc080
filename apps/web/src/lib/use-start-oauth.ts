import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { embedContext } from '../embed/embed';
import { useTRPC } from './trpc';

/** The modal's sign-in popup, named so a second click reuses it. */
const OAUTH_POPUP = 'plugboard-oauth';

/**
 * Starts an OAuth attempt and sends the browser to the provider. The mutation stays in its
 * success state until the page unloads, so the button keeps saying "Redirecting…" meanwhile.
 */
export function useStartOAuth() {
  const trpc = useTRPC();
  const [popupError, setPopupError] = useState<unknown>(null);
  const mutation = useMutation(
    trpc.connect.oauth.start.mutationOptions({
      onMutate: () => setPopupError(null),
      onSuccess: ({ authorizationUrl }) => {
        // Inside the modal (a frame) the provider's page runs in a popup: providers refuse to
        // be framed. The click that started this still counts for opening it.
        if (embedContext()?.mode === 'modal') {
          const popup = window.open(authorizationUrl, OAUTH_POPUP, 'popup,width=520,height=720');
          // Shaped like a tRPC error, so the card shows it like any other.
          if (!popup) setPopupError({ data: { code: 'POPUP_BLOCKED' } });
          mutation.reset();
          return;
        }
        window.location.assign(authorizationUrl);
      },
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
    error: mutation.error ?? popupError,
    failedProviderId: mutation.isError
      ? mutation.variables.providerId
      : popupError
        ? mutation.variables?.providerId
        : undefined,
    reset,
  };
}
