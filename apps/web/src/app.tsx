import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { lazy, useEffect, useRef, useState } from 'react';
import { AppHeader } from './components/app-header';
import { ErrorAlert } from './components/error-alert';
import { embedContext, embedProblem } from './embed/embed';
import { activateLocale, loadFeatureMessages } from './i18n/i18n';
import { localeFor } from './i18n/locales';
import { isTransient, useErrorText } from './lib/errors';
import { useT } from './i18n/react';
import { useLocation } from './lib/router';
import { useTheme } from './lib/theme';
import { createPlugboardTrpcClient, TRPCProvider, useTRPC } from './lib/trpc';
import { ConnectionsPage } from './pages/connections-page';
import { NotFoundPage } from './pages/not-found-page';
import { LazyBoundary } from './lib/lazy';

// Shown only to a visit without a session (no connect link, or an ended session): its own
// chunk, like the result page, so the connections page's first screen does not download it.
const SignInPanel = lazy(() =>
  Promise.all([import('./components/sign-in-panel'), loadFeatureMessages('signIn')]).then(
    ([m]) => ({ default: m.SignInPanel }),
  ),
);

// The page a provider's callback lands on: its own chunk, so the first screen does not
// download it.
const ResultPage = lazy(() =>
  Promise.all([import('./pages/result-page'), loadFeatureMessages('result')]).then(([m]) => ({
    default: m.ResultPage,
  })),
);

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
  const t = useT();
  const errorText = useErrorText();
  const trpc = useTRPC();
  const me = useQuery(trpc.connect.session.me.queryOptions());
  const sessionLocale = me.data?.session?.locale;

  useEffect(() => {
    // The connect token's locale, once the session is known; else the browser's (as at start).
    if (me.isPending) return;
    void activateLocale(localeFor(sessionLocale, navigator.languages)).catch(() => undefined);
  }, [me.isPending, sessionLocale]);
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
  // Opened by a page the session does not allow: say so, and talk to nobody.
  const embedRefused = session ? embedProblem(embedContext(), session) : null;
  const theme = useTheme(Boolean(session));
  const loading = (
    <p className="loading" aria-busy="true">
      {t('app.loading')}
    </p>
  );
  let page;
  if (pathname === '/connect/result') {
    // The result needs no session of its own: `?error=` must show even when the cookie is gone,
    // and `attempts.get` answers UNAUTHENTICATED with a message that says what to do.
    page = <ResultPage searchParams={searchParams} />;
  } else if (me.isPending) {
    page = loading;
  } else if (me.isError) {
    page = <ErrorAlert title={t('app.unreachableTitle')}>{errorText.of(me.error)}</ErrorAlert>;
  } else if (!session) {
    page = <SignInPanel demoLoginAvailable={me.data.demoLoginAvailable} />;
  } else if (embedRefused) {
    page = (
      <ErrorAlert title={t('result.failedTitle')}>{errorText.byCode(embedRefused)}</ErrorAlert>
    );
  } else if (pathname === '/') {
    page = <ConnectionsPage />;
  } else {
    page = <NotFoundPage />;
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader session={session} theme={theme.theme} themePending={theme.pending} />
      <main id="main" ref={mainRef} className="main">
        {/* `key`: a page whose chunk failed to load does not keep its error on the next page. */}
        <LazyBoundary
          key={pathname}
          fallback={loading}
          failed={<ErrorAlert>{t('app.chunkFailed')}</ErrorAlert>}
        >
          {page}
        </LazyBoundary>
      </main>
      <footer className="app-footer">
        <p>{t('app.poweredBy')}</p>
      </footer>
    </>
  );
}
