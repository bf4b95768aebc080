import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { AppHeader } from './components/app-header';
import { ErrorAlert } from './components/error-alert';
import { SignInPanel } from './components/sign-in-panel';
import { errorMessageOf, isTransient } from './lib/errors';
import { useLocation } from './lib/router';
import { useTheme } from './lib/theme';
import { createPlugboardTrpcClient, TRPCProvider, useTRPC } from './lib/trpc';
import { ConnectionsPage } from './pages/connections-page';
import { NotFoundPage } from './pages/not-found-page';
import { ResultPage } from './pages/result-page';

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Retrying "your session has ended" only delays the message; retry what may pass.
        retry: (failureCount, error) => failureCount < 2 && isTransient(error),
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createPlugboardTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Shell />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function Shell() {
  const trpc = useTRPC();
  const me = useQuery(trpc.connect.session.me.queryOptions());
  const { pathname, searchParams } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  useEffect(() => {
    // After an in-app navigation, move focus to the new page's heading so keyboard and
    // screen-reader users start there (a full page load does this by itself).
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [pathname]);

  const session = me.data?.session;
  const theme = useTheme(Boolean(session));
  let page;
  if (pathname === '/connect/result') {
    // The result needs no session of its own: `?error=` must show even when the cookie is gone,
    // and `attempts.get` answers UNAUTHENTICATED with a message that says what to do.
    page = <ResultPage searchParams={searchParams} />;
  } else if (me.isPending) {
    page = (
      <p className="loading" aria-busy="true">
        Loading…
      </p>
    );
  } else if (me.isError) {
    page = (
      <ErrorAlert title="Plugboard could not be reached">{errorMessageOf(me.error)}</ErrorAlert>
    );
  } else if (!session) {
    page = <SignInPanel demoLoginAvailable={me.data.demoLoginAvailable} />;
  } else if (pathname === '/') {
    page = <ConnectionsPage />;
  } else {
    page = <NotFoundPage />;
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader session={session} theme={theme.theme} themePending={theme.pending} />
      <main id="main" ref={mainRef} className="main">
        {page}
      </main>
      <footer className="app-footer">
        <p>Powered by Plugboard</p>
      </footer>
    </>
  );
}
