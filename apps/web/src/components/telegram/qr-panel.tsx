import { skipToken, useMutation } from '@tanstack/react-query';
// A second copy of the package's entry (vite.config.ts), so `useSubscription` stays out of the entry chunk.
import { useSubscription } from '@trpc/tanstack-react-query?subscription';
import { useEffect, useId, useRef, useState } from 'react';
import { isErrorCode } from '@plugboard/contracts';
import { T, useT } from '../../i18n/react';
import { useErrorText } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { ErrorAlert } from '../error-alert';
import { LoginQrCode } from './login-qr-code';
import { PasswordStep } from './password-step';
import { StepError } from './step-actions';
import type { ConnectedHandler, TelegramFlowId } from './types';

type QrState =
  | { kind: 'idle' }
  | { kind: 'waiting'; flowId: TelegramFlowId; loginUrl: string }
  | { kind: 'password'; flowId: TelegramFlowId; hint: string | null }
  | { kind: 'connected' }
  | { kind: 'failed'; code: string; message: string };

/**
 * Sign-in by QR code (https://core.telegram.org/api/qr-login): the code renews itself until the
 * person scans it with a Telegram app where they are signed in, then maybe the 2FA password.
 */
export function QrPanel({ onConnected }: { onConnected: ConnectedHandler }) {
  const trpc = useTRPC();
  const [state, setState] = useState<QrState>({ kind: 'idle' });

  const start = useMutation(
    trpc.connect.telegram.qr.start.mutationOptions({
      onSuccess: ({ flowId, loginUrl }) => setState({ kind: 'waiting', flowId, loginUrl }),
    }),
  );

  const watching = state.kind === 'waiting' ? state.flowId : null;
  const watch = useSubscription(
    trpc.connect.telegram.qr.watch.subscriptionOptions(
      watching === null ? skipToken : { flowId: watching },
      {
        onData: ({ data: event }) => {
          switch (event.status) {
            case 'waiting':
              // Telegram re-issues the token every ~30 s: always show the live one.
              setState((current) =>
                current.kind === 'waiting' ? { ...current, loginUrl: event.loginUrl } : current,
              );
              return;
            case 'password_needed':
              setState((current) =>
                current.kind === 'waiting'
                  ? { kind: 'password', flowId: current.flowId, hint: event.hint }
                  : current,
              );
              return;
            case 'connected':
              setState({ kind: 'connected' });
              void onConnected(event.connection);
              return;
            case 'failed':
              setState({ kind: 'failed', code: event.error.code, message: event.error.message });
              return;
          }
        },
      },
    ),
  );

  const restart = () => {
    setState({ kind: 'idle' });
    start.mutate();
  };

  switch (state.kind) {
    case 'password':
      return (
        <PasswordStep
          key={`password-${state.flowId}`}
          flowId={state.flowId}
          hint={state.hint}
          onConnected={onConnected}
          onStartOver={restart}
        />
      );
    case 'waiting':
    case 'connected':
      return (
        <ScanStep
          key="scan"
          loginUrl={state.kind === 'waiting' ? state.loginUrl : null}
          connected={state.kind === 'connected'}
          watchError={watch.status === 'error' ? watch.error : null}
          onRestart={restart}
        />
      );
    case 'idle':
    case 'failed':
      return (
        <StartStep
          key="start"
          failure={state.kind === 'failed' ? state : null}
          pending={start.isPending}
          error={start.error}
          onStart={() => start.mutate()}
        />
      );
  }
}

function StartStep(props: {
  failure: { code: string; message: string } | null;
  pending: boolean;
  error: unknown;
  onStart: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const errorId = useId();
  return (
    <div className="dialog-form" aria-busy={props.pending}>
      <p>{t('telegram.qrIntro')}</p>
      <p>{t('telegram.qrSameDevice')}</p>
      {props.failure ? (
        <ErrorAlert>
          {errorText.byCode(
            isErrorCode(props.failure.code) ? props.failure.code : 'INTERNAL',
            props.failure.message,
          )}
        </ErrorAlert>
      ) : null}
      <StepError id={errorId} error={props.error} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={props.onStart}
          disabled={props.pending}
        >
          {props.pending
            ? t('telegram.qrGetting')
            : props.failure
              ? t('telegram.qrShowNew')
              : t('telegram.qrShow')}
        </button>
      </div>
    </div>
  );
}

function ScanStep(props: {
  loginUrl: string | null;
  connected: boolean;
  watchError: unknown;
  onRestart: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const restartRef = useRef<HTMLButtonElement>(null);
  const stepsRef = useRef<HTMLOListElement>(null);
  const { watchError } = props;
  useEffect(() => {
    // "Show QR code" is gone with the step before: start reading at the instructions.
    stepsRef.current?.focus();
  }, []);
  useEffect(() => {
    // The code stopped renewing: go to the button that gets a new one.
    if (watchError) restartRef.current?.focus();
  }, [watchError]);
  return (
    <div className="dialog-form">
      <ol className="qr-steps" ref={stepsRef} tabIndex={-1}>
        <li>{t('telegram.qrStep1')}</li>
        <li>
          <T id="telegram.qrStep2" components={{ 0: <strong /> }} />
        </li>
        <li>{t('telegram.qrStep3')}</li>
      </ol>
      {props.loginUrl ? <LoginQrCode url={props.loginUrl} /> : null}
      {watchError ? (
        <>
          <ErrorAlert>{errorText.of(watchError)}</ErrorAlert>
          <div className="dialog-actions">
            <button
              ref={restartRef}
              type="button"
              className="button button-primary"
              onClick={props.onRestart}
            >
              {t('telegram.qrShowNew')}
            </button>
          </div>
        </>
      ) : (
        <p className="waiting" role="status">
          <span className="spinner" aria-hidden="true" />
          {props.connected ? t('telegram.qrSaving') : t('telegram.qrWaiting')}
        </p>
      )}
    </div>
  );
}
