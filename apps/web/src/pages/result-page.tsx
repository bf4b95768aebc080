import {
  AttemptIdSchema,
  ERROR_MESSAGES,
  isErrorCode,
  type AttemptDto,
  type ConnectionDto,
  type ProviderId,
} from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../components/error-alert';
import { assertNever } from '../lib/assert-never';
import { errorMessageOf } from '../lib/errors';
import { connectionTitle } from '../lib/labels';
import { Link } from '../lib/router';
import { useTRPC } from '../lib/trpc';
import { useStartOAuth } from '../lib/use-start-oauth';

interface ResultPageProps {
  searchParams: URLSearchParams;
}

/** Where the server sends the browser after a provider's callback: `?attempt=att_…` or `?error=CODE`. */
export function ResultPage({ searchParams }: ResultPageProps) {
  const attemptParam = searchParams.get('attempt');
  const errorParam = searchParams.get('error');

  if (attemptParam !== null) {
    const attemptId = AttemptIdSchema.safeParse(attemptParam);
    if (attemptId.success) return <AttemptResult attemptId={attemptId.data} />;
    return <FailureView title="Couldn't connect" message={ERROR_MESSAGES.NOT_FOUND} />;
  }
  // Only known codes pick a message: the query string is not trusted to supply text.
  const code = isErrorCode(errorParam) ? errorParam : 'INTERNAL';
  return <FailureView title="Couldn't connect" message={ERROR_MESSAGES[code]} />;
}

function AttemptResult({ attemptId }: { attemptId: string }) {
  const trpc = useTRPC();
  const attempt = useQuery(
    trpc.connect.attempts.get.queryOptions(
      { attemptId },
      {
        // A pending attempt means the provider step has not come back yet: look again shortly.
        refetchInterval: (query) => (query.state.data?.status === 'pending' ? 2000 : false),
      },
    ),
  );

  if (attempt.isPending) {
    return (
      <ResultCard tone="neutral">
        <title>Checking the result · Plugboard</title>
        <div role="status" aria-live="polite" className="checking">
          <span className="spinner spinner-large" aria-hidden="true" />
          <p>Checking the result…</p>
        </div>
      </ResultCard>
    );
  }
  if (attempt.isError) {
    return (
      <FailureView title="Couldn't check the result" message={errorMessageOf(attempt.error)} />
    );
  }
  return <AttemptView attempt={attempt.data} />;
}

function AttemptView({ attempt }: { attempt: AttemptDto }) {
  const backHref = attempt.returnTo ?? '/';
  const { providerName } = attempt;

  switch (attempt.status) {
    case 'completed':
      return (
        <ResultCard tone="success">
          <title>{`${providerName} connected · Plugboard`}</title>
          <StatusIcon tone="success" />
          <h1 tabIndex={-1}>{providerName} connected</h1>
          {attempt.connection ? (
            <p className="result-account">{connectionTitle(attempt.connection)}</p>
          ) : null}
          <p className="result-text">The app you came from can now use this account.</p>
          <div className="result-actions">
            <Link href={backHref} className="button button-primary">
              Back to your connections
            </Link>
          </div>
        </ResultCard>
      );
    case 'failed':
    case 'expired': {
      const message =
        attempt.error?.message ??
        (attempt.status === 'expired' ? ERROR_MESSAGES.STATE_EXPIRED : ERROR_MESSAGES.INTERNAL);
      return (
        <FailureView
          title={`Couldn't connect ${providerName}`}
          message={message}
          retry={{
            providerId: attempt.providerId,
            providerName,
            returnTo: attempt.returnTo,
            reconnectConnectionId: attempt.reconnectConnectionId,
          }}
          backHref={backHref}
        />
      );
    }
    case 'pending':
      return (
        <ResultCard tone="neutral">
          <title>{`Waiting for ${providerName} · Plugboard`}</title>
          <StatusIcon tone="neutral" />
          <h1 tabIndex={-1}>Waiting for {providerName}</h1>
          <p className="result-text" role="status" aria-live="polite">
            {providerName} has not finished yet. If you closed the {providerName} page, start again.
          </p>
          <RetryActions
            retry={{ providerId: attempt.providerId, providerName, returnTo: attempt.returnTo }}
            backHref={backHref}
          />
        </ResultCard>
      );
    default:
      return assertNever(attempt.status);
  }
}

interface Retry {
  providerId: ProviderId;
  providerName: string;
  returnTo: string | null;
  /** A failed Reconnect is retried as that same Reconnect. */
  reconnectConnectionId?: ConnectionDto['id'] | null;
}

function FailureView({
  title,
  message,
  retry,
  backHref = '/',
}: {
  title: string;
  message: string;
  retry?: Retry;
  backHref?: string;
}) {
  return (
    <ResultCard tone="error">
      <title>{`${title} · Plugboard`}</title>
      <StatusIcon tone="error" />
      <h1 tabIndex={-1}>{title}</h1>
      <ErrorAlert>{message}</ErrorAlert>
      <RetryActions retry={retry} backHref={backHref} />
    </ResultCard>
  );
}

function RetryActions({ retry, backHref }: { retry: Retry | undefined; backHref: string }) {
  const oauth = useStartOAuth();
  return (
    <>
      {oauth.error ? <ErrorAlert>{errorMessageOf(oauth.error)}</ErrorAlert> : null}
      <div className="result-actions">
        {retry ? (
          <button
            type="button"
            className="button button-primary"
            disabled={oauth.busy}
            onClick={() =>
              oauth.start({
                providerId: retry.providerId,
                ...(retry.returnTo ? { returnTo: retry.returnTo } : {}),
                ...(retry.reconnectConnectionId
                  ? { reconnectConnectionId: retry.reconnectConnectionId }
                  : {}),
              })
            }
          >
            {oauth.busy ? (
              <>
                <span className="spinner" aria-hidden="true" />
                Redirecting to {retry.providerName}…
              </>
            ) : (
              'Try again'
            )}
          </button>
        ) : null}
        <Link
          href={backHref}
          className={retry ? 'button button-secondary' : 'button button-primary'}
        >
          Back to your connections
        </Link>
      </div>
    </>
  );
}

function ResultCard({
  tone,
  children,
}: {
  tone: 'success' | 'error' | 'neutral';
  children: ReactNode;
}) {
  return <section className={`panel panel-centered result result-${tone}`}>{children}</section>;
}

function StatusIcon({ tone }: { tone: 'success' | 'error' | 'neutral' }) {
  const path =
    tone === 'success'
      ? 'M6 12.5l4 4L18 8.5'
      : tone === 'error'
        ? 'M12 6.5v7M12 17.5v.01'
        : 'M12 8v4l2.5 1.5';
  return (
    <span className={`status-icon status-icon-${tone}`} aria-hidden="true">
      <svg viewBox="0 0 24 24">
        {tone === 'neutral' ? (
          <circle cx="12" cy="12" r="8.5" fill="none" stroke="currentColor" strokeWidth="2" />
        ) : null}
        <path
          d={path}
          fill="none"
          stroke="currentColor"
          strokeWidth="2.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </span>
  );
}
