import { useMutation } from '@tanstack/react-query';
import type { StartOAuthInput } from '@plugboard/contracts';
import { useCallback, useEffect, useState } from 'react';
import { embedContext } from '../embed/embed';
import { navigate } from './router';
import { useTRPC } from './trpc';

/** The modal's sign-in popup, named so a second click reuses it. */
const OAUTH_POPUP = 'plugboard-oauth';

/**
 * Starts an OAuth attempt and sends the browser to the provider. The mutation stays in its
 * success state until the page unloads, so the button keeps saying "Redirecting…" meanwhile.
 */
export function useStartOAuth() {
  const trpc = useTRPC();
  const [popupError, setPopupError] = useState<{ error: unknown; providerId: string } | null>(null);
  const inPage = useMutation(
    trpc.connect.oauth.start.mutationOptions({
      onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl),
    }),
  );
  // Inside the modal (a frame) the provider's page runs in a popup: providers refuse to be
  // framed. The click that started this still counts for opening it.
  const inPopup = useMutation(
    trpc.connect.oauth.startInPopup.mutationOptions({
      onMutate: () => setPopupError(null),
      onSuccess: ({ authorizationUrl, attemptId }, { providerId }) => {
        const popup = window.open(authorizationUrl, OAUTH_POPUP, 'popup,width=520,height=720');
        if (!popup) {
          // Shaped like a tRPC error, so the card shows it like any other.
          setPopupError({ error: { data: { code: 'POPUP_BLOCKED' } }, providerId });
          inPopup.reset();
          return;
        }
        // The frame waits on the result page, which polls the attempt until the popup is done
        // (the popup may lose its opener to a provider's Cross-Origin-Opener-Policy).
        navigate(`/connect/result?attempt=${encodeURIComponent(attemptId)}`);
      },
    }),
  );
  const modal = embedContext()?.mode === 'modal';
  const mutation = modal ? inPopup : inPage;

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
  const startInPage = inPage.mutate;
  const startInPopup = inPopup.mutate;
  const start = useCallback(
    (input: StartOAuthInput) =>
      modal
        ? startInPopup({
            providerId: input.providerId,
            ...(input.inputs ? { inputs: input.inputs } : {}),
          })
        : startInPage(input),
    [modal, startInPage, startInPopup],
  );
  return {
    start,
    /** The provider being redirected to, while a redirect is under way. */
    redirectingTo: redirecting ? mutation.variables?.providerId : undefined,
    busy: redirecting,
    error: mutation.error ?? popupError?.error ?? null,
    failedProviderId: mutation.isError ? mutation.variables.providerId : popupError?.providerId,
    reset,
  };
}
