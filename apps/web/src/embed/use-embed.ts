import type { ConnectionDto, ErrorCode, ProviderId } from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '../lib/trpc';
import { embedContext } from './embed';
import type { Outcome } from './report';

const AUTOSTART_KEY = 'plugboard.embed.autostarted';

/**
 * What an embedded Connect UI does with an outcome: tells the host page (popup, modal) or
 * returns the browser to the token's redirect URL (redirect mode), with ./report.ts, loaded
 * then. Outside an embed, nothing (and nothing to load).
 */
export function useEmbedReport() {
  const trpc = useTRPC();
  const session = useQuery(trpc.connect.session.me.queryOptions()).data?.session ?? null;
  const report = useCallback(
    (outcome: Outcome) => {
      if (!embedContext() || !session) return;
      void import('./report').then(({ reportOutcome }) => reportOutcome(session, outcome));
    },
    [session],
  );
  const reportSuccess = useCallback(
    (connection: ConnectionDto) => report({ connection }),
    [report],
  );
  const reportFailure = useCallback(
    (code: ErrorCode, message: string) => report({ code, message }),
    [report],
  );
  return { session, reportSuccess, reportFailure };
}

/**
 * The one provider this page offers: the token's (enforced by the server too), else the SDK's
 * `providerId` hint; null for the whole list.
 */
export function useOnlyProvider(): ProviderId | null {
  const trpc = useTRPC();
  const session = useQuery(trpc.connect.session.me.queryOptions()).data?.session;
  return session?.providerId ?? embedContext()?.provider ?? null;
}

/**
 * A popup or redirect opened for one provider goes straight into its flow, once per tab (Back
 * to the list does not start it again). A modal cannot: the provider's popup needs the user's
 * click, so it shows the one provider's card instead.
 */
export function takeAutostart(): boolean {
  const ctx = embedContext();
  if (!ctx || ctx.mode === 'modal') return false;
  try {
    if (sessionStorage.getItem(AUTOSTART_KEY)) return false;
    sessionStorage.setItem(AUTOSTART_KEY, '1');
  } catch {
    return false;
  }
  return true;
}
