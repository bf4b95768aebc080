import {
  isErrorCode,
  type AttemptDto,
  type ConnectionDto,
  type ErrorCode,
  type ProviderId,
} from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type ReactNode } from 'react';
import { ErrorAlert } from '../components/error-alert';
import { handOverToOpeningFrame } from '../embed/embed';
import { redirectTarget } from '../embed/report';
import { ReturnToHost } from '../embed/return-to-host';
import { useEmbedReport } from '../embed/use-embed';
import { assertNever } from '../lib/assert-never';
import { useT } from '../i18n/react';
import { errorCodeOf, useErrorText } from '../lib/errors';
import { connectionTitle } from '../lib/labels';
import { Link } from '../lib/router';
import { useTRPC } from '../lib/trpc';
import { useStartOAuth } from '../lib/use-start-oauth';

interface ResultPageProps {
  searchParams: URLSearchParams;
}

/** Where the server sends the browser after a provider's callback: `?attempt=att_…` or `?error=CODE`. */
export function ResultPage({ searchParams }: ResultPageProps) {
  const t = useT();
  const errorText = useErrorText();
  const attemptParam = searchParams.get('attempt');
  const errorParam = searchParams.get('error');

  if (attemptParam !== null) {
    // The modal's sign-in popup: the frame that opened it shows this result instead.
    if (handOverToOpeningFrame()) return null;
    // The server checks the id's form (AttemptIdSchema): no zod in the browser to do it twice.
    return <AttemptResult attemptId={attemptParam} />;
  }
  // Only known codes pick a message: the query string is not trusted to supply text.
  const code = isErrorCode(errorParam) ? errorParam : 'INTERNAL';
  if (code === 'PROVIDER_DENIED') return <DeclinedView providerName={null} />;
  return <FailureView title={t('result.failedTitle')} message={errorText.byCode(code)} />;
}

function AttemptResult({ attemptId }: { attemptId: string }) {
  const t = useT();
  const errorText = useErrorText();
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

  const embed = useEmbedReport();
  const outcome = attempt.data;
  const { reportSuccess, reportFailure } = embed;
  const reported = useRef(false);
  useEffect(() => {
    // Tell the host page (or go back to it) once, when the attempt has an outcome.
    if (!outcome || !embed.session || reported.current || outcome.status === 'pending') return;
    reported.current = true;
    if (outcome.status === 'completed' && outcome.connection) reportSuccess(outcome.connection);
    else if (outcome.status !== 'completed') {
      const code = outcome.error && isErrorCode(outcome.error.code) ? outcome.error.code : null;
      reportFailure(
        code ?? (outcome.status === 'expired' ? 'STATE_EXPIRED' : 'INTERNAL'),
        outcome.error?.message ?? errorText.byCode(code ?? 'INTERNAL'),
      );
    }
  }, [outcome, embed.session, reportSuccess, reportFailure, errorText]);

  if (attempt.isPending) {
    return (
      <ResultCard tone="neutral">
        <title>{t('result.checkingDocumentTitle')}</title>
        <div role="status" aria-live="polite" className="checking">
          <span className="spinner spinner-large" aria-hidden="true" />
          <p>{t('result.checking')}</p>
        </div>
      </ResultCard>
    );
  }
  if (attempt.isError) {
    // Not an attempt id at all (a mangled link): the same answer as an unknown one.
    if (errorCodeOf(attempt.error) === 'VALIDATION_FAILED') {
      return (
        <FailureView title={t('result.failedTitle')} message={errorText.byCode('NOT_FOUND')} />
      );
    }
    return (
      <FailureView title={t('result.checkFailedTitle')} message={errorText.of(attempt.error)} />
    );
  }
  return <AttemptView attempt={attempt.data} />;
}

function AttemptView({ attempt }: { attempt: AttemptDto }) {
  const t = useT();
  const errorText = useErrorText();
  const backHref = attempt.returnTo ?? '/';
  const { providerName } = attempt;
  const { session } = useEmbedReport();
  const returnHref =
    session && attempt.connection
      ? redirectTarget(session, { connectionId: attempt.connection.id })
      : null;

  switch (attempt.status) {
    case 'completed':
      return (
        <ResultCard tone="success">
          <title>{t('result.connectedDocumentTitle', { provider: providerName })}</title>
          <StatusIcon tone="success" />
          <ResultHeading>{t('result.connectedTitle', { provider: providerName })}</ResultHeading>
          {attempt.connection ? (
            <p className="result-account">{connectionTitle(attempt.connection)}</p>
          ) : null}
          <p className="result-text">{t('result.connectedText')}</p>
          <div className="result-actions">
            {returnHref ? <ReturnToHost href={returnHref} /> : null}
            <Link
              href={backHref}
              className={returnHref ? 'button button-secondary' : 'button button-primary'}
            >
              {t('result.back')}
            </Link>
          </div>
        </ResultCard>
      );
    case 'failed':
    case 'expired': {
      const retry = retryOf(attempt);
      // The user's own "Deny" at the provider: a choice, not a failure.
      if (attempt.error?.code === 'PROVIDER_DENIED') {
        return (
          <DeclinedView
            providerName={providerName}
            retry={retry}
            backHref={backHref}
            returnError="PROVIDER_DENIED"
          />
        );
      }
      const message = attempt.error
        ? errorText.byCode(
            isErrorCode(attempt.error.code) ? attempt.error.code : 'INTERNAL',
            attempt.error.message,
          )
        : errorText.byCode(attempt.status === 'expired' ? 'STATE_EXPIRED' : 'INTERNAL');
      return (
        <FailureView
          title={t('result.failedProviderTitle', { provider: providerName })}
          message={message}
          retry={retry}
          backHref={backHref}
          returnError={
            attempt.error && isErrorCode(attempt.error.code)
              ? attempt.error.code
              : attempt.status === 'expired'
                ? 'STATE_EXPIRED'
                : 'INTERNAL'
          }
        />
      );
    }
    case 'pending':
      return (
        <ResultCard tone="neutral">
          <title>{t('result.pendingDocumentTitle', { provider: providerName })}</title>
          <StatusIcon tone="neutral" />
          <ResultHeading>{t('result.pendingTitle', { provider: providerName })}</ResultHeading>
          <p className="result-text" role="status" aria-live="polite">
            {t('result.pendingText', { provider: providerName })}
          </p>
          <RetryActions retry={retryOf(attempt)} backHref={backHref} />
        </ResultCard>
      );
    default:
      return assertNever(attempt.status);
  }
}

interface Retry {
  providerId: ProviderId;
  providerName: string;
  /** What the user typed for the first try (Shopify's shop): a retry must carry it. */
  inputs: Record<string, string>;
  returnTo: string | null;
  /** A failed Reconnect is retried as that same Reconnect. */
  reconnectConnectionId?: ConnectionDto['id'] | null;
}

function retryOf(attempt: AttemptDto): Retry {
  return {
    providerId: attempt.providerId,
    providerName: attempt.providerName,
    inputs: attempt.inputs,
    returnTo: attempt.returnTo,
    reconnectConnectionId: attempt.reconnectConnectionId,
  };
}

/**
 * The page's heading, focused when it appears: after the provider's redirect (a full page load)
 * focus would stay on <body>, and a screen reader would start nowhere in particular.
 */
function ResultHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** The user said no at the provider: neutral, with the way back and a retry; no alert. */
function DeclinedView({
  providerName,
  retry,
  backHref = '/',
  returnError,
}: {
  providerName: string | null;
  retry?: Retry;
  backHref?: string;
  /** The outcome the host's errorRedirectUrl hears of ("Return to <host>"). */
  returnError?: ErrorCode;
}) {
  const t = useT();
  const title = providerName
    ? t('result.declinedTitle', { provider: providerName })
    : t('result.declinedTitleAccount');
  return (
    <ResultCard tone="neutral">
      <title>{t('app.documentTitle', { page: title })}</title>
      <StatusIcon tone="declined" />
      <ResultHeading>{title}</ResultHeading>
      <p className="result-text">{t('result.declinedText')}</p>
      <RetryActions retry={retry} backHref={backHref} returnError={returnError} />
    </ResultCard>
  );
}

function FailureView({
  title,
  message,
  retry,
  backHref = '/',
  returnError,
}: {
  title: string;
  message: string;
  retry?: Retry;
  backHref?: string;
  returnError?: ErrorCode;
}) {
  const t = useT();
  return (
    <ResultCard tone="error">
      <title>{t('app.documentTitle', { page: title })}</title>
      <StatusIcon tone="error" />
      <ResultHeading>{title}</ResultHeading>
      <ErrorAlert>{message}</ErrorAlert>
      <RetryActions retry={retry} backHref={backHref} returnError={returnError} />
    </ResultCard>
  );
}

function RetryActions({
  retry,
  backHref,
  returnError,
}: {
  retry: Retry | undefined;
  backHref: string;
  returnError?: ErrorCode | undefined;
}) {
  const t = useT();
  const errorText = useErrorText();
  const oauth = useStartOAuth();
  const { session } = useEmbedReport();
  const returnHref =
    session && returnError ? redirectTarget(session, { error: returnError }) : null;
  return (
    <>
      {oauth.error ? <ErrorAlert>{errorText.of(oauth.error)}</ErrorAlert> : null}
      <div className="result-actions">
        {retry ? (
          <button
            type="button"
            className="button button-primary"
            disabled={oauth.busy}
            onClick={() =>
              oauth.start({
                providerId: retry.providerId,
                ...(Object.keys(retry.inputs).length > 0 ? { inputs: retry.inputs } : {}),
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
                {t('providers.redirecting', { provider: retry.providerName })}
              </>
            ) : (
              t('result.tryAgain')
            )}
          </button>
        ) : null}
        <Link
          href={backHref}
          className={retry ? 'button button-secondary' : 'button button-primary'}
        >
          {t('result.back')}
        </Link>
        {returnHref ? <ReturnToHost href={returnHref} secondary /> : null}
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

const STATUS_ICON_PATHS = {
  success: 'M6 12.5l4 4L18 8.5',
  error: 'M12 6.5v7M12 17.5v.01',
  neutral: 'M12 8v4l2.5 1.5',
  declined: 'M8.5 12h7',
} as const;

function StatusIcon({ tone }: { tone: keyof typeof STATUS_ICON_PATHS }) {
  const path = STATUS_ICON_PATHS[tone];
  const circled = tone === 'neutral' || tone === 'declined';
  return (
    <span
      className={`status-icon status-icon-${tone === 'declined' ? 'neutral' : tone}`}
      aria-hidden="true"
    >
      <svg viewBox="0 0 24 24">
        {circled ? (
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
