import QRCode from 'qrcode';
import { E164_PATTERN, isErrorCode, type ConnectionDto } from '@plugboard/contracts';
import type { TelegramVerifyCodeInput } from '@plugboard/contracts';
import { skipToken, useIsMutating, useMutation, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useT } from '../i18n/react';
import { useErrorText } from '../lib/errors';
import { useTRPC } from '../lib/trpc';
import { ErrorAlert } from './error-alert';

interface TelegramDialogProps {
  onCancel: () => void;
  /** The connection is saved and the connections list refreshed. */
  onConnected: (connection: ConnectionDto) => void;
}

type Method = 'phone' | 'qr';

/**
 * Telegram has no OAuth: the user signs in step by step, with their phone number (code, then
 * maybe the two-step verification password) or by approving a login link in a Telegram app.
 * A native modal <dialog>, like the disconnect dialog: focus trap, Escape and inert background.
 */
export function TelegramDialog({ onCancel, onConnected }: TelegramDialogProps) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [method, setMethod] = useState<Method>('phone');
  // Any Telegram call in flight: Escape, Close and switching methods wait for it.
  const busy = useIsMutating({ mutationKey: trpc.connect.telegram.pathKey() }) > 0;

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // React's autoFocus ran while the dialog was still closed (so unfocusable), and
      // showModal() picks the first focusable element, the Close button: start at the phone.
      dialog.querySelector<HTMLElement>('input:not(:disabled)')?.focus();
    }
    // Closing hands focus back to the button that opened the dialog.
    return () => dialog?.close();
  }, []);

  const handleConnected = async (connection: ConnectionDto) => {
    await queryClient.invalidateQueries(trpc.connect.connections.list.queryFilter());
    onConnected(connection);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog dialog-telegram"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId} className="dialog-title">
          {t('providers.connect', { provider: 'Telegram' })}
        </h2>
        <button
          type="button"
          className="button-icon"
          onClick={onCancel}
          disabled={busy}
          aria-label={t('telegram.close')}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <path
              d="M5 5l10 10M15 5L5 15"
              stroke="currentColor"
              strokeWidth="1.8"
              strokeLinecap="round"
            />
          </svg>
        </button>
      </div>
      <div className="segmented" role="group" aria-label={t('telegram.methodLabel')}>
        <button
          type="button"
          className="segmented-option"
          aria-pressed={method === 'phone'}
          onClick={() => setMethod('phone')}
          disabled={busy}
        >
          {t('telegram.methodPhone')}
        </button>
        <button
          type="button"
          className="segmented-option"
          aria-pressed={method === 'qr'}
          onClick={() => setMethod('qr')}
          disabled={busy}
        >
          {t('telegram.methodQr')}
        </button>
      </div>
      {method === 'phone' ? (
        <PhonePanel onConnected={handleConnected} />
      ) : (
        <QrPanel onConnected={handleConnected} />
      )}
    </dialog>
  );
}

type TelegramFlowId = TelegramVerifyCodeInput['flowId'];

type ConnectedHandler = (connection: ConnectionDto) => Promise<void>;

type PhoneState =
  | { step: 'phone' }
  | { step: 'code'; flowId: TelegramFlowId; phone: string; codeLength: number | null }
  | { step: 'password'; flowId: TelegramFlowId; hint: string | null };

function PhonePanel({ onConnected }: { onConnected: ConnectedHandler }) {
  const t = useT();
  const errorText = useErrorText();
  const trpc = useTRPC();
  const [state, setState] = useState<PhoneState>({ step: 'phone' });
  const [phone, setPhone] = useState('');
  const [phoneProblem, setPhoneProblem] = useState<string | null>(null);
  const phoneId = useId();
  const codeId = useId();

  const sendCode = useMutation(
    trpc.connect.telegram.sendCode.mutationOptions({
      onSuccess: ({ flowId, codeLength }, input) =>
        setState({ step: 'code', flowId, phone: input.phone, codeLength }),
    }),
  );
  const verifyCode = useMutation(
    trpc.connect.telegram.verifyCode.mutationOptions({
      onSuccess: (result, input) =>
        result.status === 'connected'
          ? onConnected(result.connection)
          : setState({ step: 'password', flowId: input.flowId, hint: result.hint }),
    }),
  );

  const startOver = () => {
    sendCode.reset();
    verifyCode.reset();
    setState({ step: 'phone' });
  };

  if (state.step === 'password') {
    return (
      <PasswordStep
        flowId={state.flowId}
        hint={state.hint}
        onConnected={onConnected}
        onStartOver={startOver}
      />
    );
  }

  if (state.step === 'code') {
    const handleCode = (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const code = String(new FormData(event.currentTarget).get('code') ?? '').replace(/\s/g, '');
      verifyCode.mutate({ flowId: state.flowId, code });
    };
    return (
      <form className="dialog-form" onSubmit={handleCode} aria-busy={verifyCode.isPending}>
        <div className="field">
          <label htmlFor={codeId}>{t('telegram.code')}</label>
          <input
            id={codeId}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            pattern="\s*\d{3,8}\s*"
            maxLength={12}
            spellCheck={false}
            aria-describedby={`${codeId}-hint`}
            aria-invalid={verifyCode.isError || undefined}
            disabled={verifyCode.isPending}
            autoFocus
          />
          <p className="field-hint" id={`${codeId}-hint`}>
            {state.codeLength
              ? t('telegram.codeHintDigits', { phone: state.phone, digits: state.codeLength })
              : t('telegram.codeHint', { phone: state.phone })}
          </p>
        </div>
        <StepError mutation={verifyCode} />
        <StepActions
          pending={verifyCode.isPending}
          onStartOver={startOver}
          submitLabel={t('telegram.verifyCode')}
        />
      </form>
    );
  }

  const handlePhone = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // People type spaces, dashes and brackets; Telegram wants +<digits>.
    const normalized = phone.replace(/[\s().-]/g, '');
    if (!E164_PATTERN.test(normalized)) {
      setPhoneProblem(errorText.byCode('PHONE_INVALID'));
      return;
    }
    setPhoneProblem(null);
    sendCode.mutate({ phone: normalized });
  };
  return (
    <form className="dialog-form" onSubmit={handlePhone} noValidate aria-busy={sendCode.isPending}>
      <div className="field">
        <label htmlFor={phoneId}>{t('telegram.phone')}</label>
        <input
          id={phoneId}
          name="phone"
          type="tel"
          autoComplete="tel"
          required
          spellCheck={false}
          placeholder="+15551234567"
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          aria-describedby={`${phoneId}-hint`}
          aria-invalid={phoneProblem !== null || sendCode.isError || undefined}
          disabled={sendCode.isPending}
          autoFocus
        />
        <p className="field-hint" id={`${phoneId}-hint`}>
          {t('telegram.phoneHint')}
        </p>
      </div>
      {phoneProblem ? <ErrorAlert>{phoneProblem}</ErrorAlert> : <StepError mutation={sendCode} />}
      <div className="dialog-actions">
        <button type="submit" className="button button-primary" disabled={sendCode.isPending}>
          {sendCode.isPending ? t('telegram.sendingCode') : t('telegram.sendCode')}
        </button>
      </div>
    </form>
  );
}

interface PasswordStepProps {
  flowId: TelegramFlowId;
  hint: string | null;
  onConnected: ConnectedHandler;
  onStartOver: () => void;
}

function PasswordStep({ flowId, hint, onConnected, onStartOver }: PasswordStepProps) {
  const t = useT();
  const trpc = useTRPC();
  const passwordId = useId();
  const verifyPassword = useMutation(
    trpc.connect.telegram.verifyPassword.mutationOptions({
      onSuccess: (result) => onConnected(result.connection),
    }),
  );

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Not trimmed: spaces can be part of a password.
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    verifyPassword.mutate({ flowId, password });
  };

  return (
    <form className="dialog-form" onSubmit={handleSubmit} aria-busy={verifyPassword.isPending}>
      <p>{t('telegram.passwordIntro')}</p>
      <div className="field">
        <label htmlFor={passwordId}>{t('telegram.password')}</label>
        <input
          id={passwordId}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={256}
          aria-describedby={hint ? `${passwordId}-hint` : undefined}
          aria-invalid={verifyPassword.isError || undefined}
          disabled={verifyPassword.isPending}
          autoFocus
        />
        {hint ? (
          <p className="field-hint" id={`${passwordId}-hint`}>
            {t('telegram.passwordHint', { hint })}
          </p>
        ) : null}
      </div>
      <StepError mutation={verifyPassword} />
      <StepActions
        pending={verifyPassword.isPending}
        onStartOver={onStartOver}
        submitLabel={t('telegram.verifyPassword')}
      />
    </form>
  );
}

type QrState =
  | { kind: 'idle' }
  | { kind: 'waiting'; flowId: TelegramFlowId; loginUrl: string }
  | { kind: 'password'; flowId: TelegramFlowId; hint: string | null }
  | { kind: 'connected' }
  | { kind: 'failed'; code: string; message: string };

function QrPanel({ onConnected }: { onConnected: ConnectedHandler }) {
  const t = useT();
  const errorText = useErrorText();
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

  if (state.kind === 'password') {
    return (
      <PasswordStep
        flowId={state.flowId}
        hint={state.hint}
        onConnected={onConnected}
        onStartOver={restart}
      />
    );
  }

  if (state.kind === 'waiting' || state.kind === 'connected') {
    const watchError = watch.status === 'error' ? watch.error : null;
    return (
      <div className="dialog-form">
        <p>{t('telegram.qrWaitingIntro')}</p>
        {state.kind === 'waiting' ? <LoginLink url={state.loginUrl} /> : null}
        {watchError ? (
          <>
            <ErrorAlert>{errorText.of(watchError)}</ErrorAlert>
            <div className="dialog-actions">
              <button type="button" className="button button-primary" onClick={restart}>
                {t('telegram.qrNewLink')}
              </button>
            </div>
          </>
        ) : (
          <p className="waiting" role="status">
            <span className="spinner" aria-hidden="true" />
            {state.kind === 'connected' ? t('telegram.qrSaving') : t('telegram.qrWaiting')}
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="dialog-form" aria-busy={start.isPending}>
      <p>{t('telegram.qrIntro')}</p>
      {state.kind === 'failed' ? (
        <ErrorAlert>
          {errorText.byCode(isErrorCode(state.code) ? state.code : 'INTERNAL', state.message)}
        </ErrorAlert>
      ) : null}
      <StepError mutation={start} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => start.mutate()}
          disabled={start.isPending}
          autoFocus
        >
          {start.isPending
            ? t('telegram.qrGettingLink')
            : state.kind === 'failed'
              ? t('telegram.qrNewLink')
              : t('telegram.qrGetLink')}
        </button>
      </div>
    </div>
  );
}

/**
 * The `tg://login?token=…` link as text with a copy button. It is never sent to a QR-code web
 * service: the token logs into the account. (A local QR renderer is still to be added.)
 */
/**
 * The login link as a QR code, drawn here in the browser: the token must never be sent to a
 * third-party QR service. An SVG in an <img> (data: URL) needs no innerHTML and fits the CSP.
 */
function LoginQrCode({ url }: { url: string }) {
  const t = useT();
  const [qr, setQr] = useState<{ url: string; src: string } | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      .then((svg) => {
        if (current)
          setQr({ url, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch(() => {
        if (current) setQr(null);
      });
    return () => {
      current = false;
    };
  }, [url]);
  // Only the code for the link shown now: a renewed link replaces the old code.
  if (qr?.url !== url) return null;
  return (
    <img className="login-qr" src={qr.src} width={200} height={200} alt={t('telegram.qrAlt')} />
  );
}

function LoginLink({ url }: { url: string }) {
  const t = useT();
  const [copied, setCopied] = useState<{ url: string; ok: boolean } | null>(null);
  const linkId = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied({ url, ok: true });
    } catch {
      setCopied({ url, ok: false });
    }
  };
  // Feedback only for the link it was about: a renewed link has not been copied yet.
  const feedback = copied?.url === url ? copied : null;
  return (
    <div className="login-link">
      <LoginQrCode url={url} />
      <p className="login-link-label" id={linkId}>
        {t('telegram.loginLink')}
      </p>
      <a className="login-link-url" href={url} aria-describedby={linkId}>
        {url}
      </a>
      <div className="login-link-actions">
        <button type="button" className="button button-secondary button-small" onClick={copy}>
          {t('telegram.copyLink')}
        </button>
        <span role="status" className="login-link-feedback">
          {feedback ? (feedback.ok ? t('telegram.copied') : t('telegram.copyFailed')) : null}
        </span>
      </div>
    </div>
  );
}

/** "Start over" and the step's submit button, both held while its call runs. */
function StepActions(props: { pending: boolean; onStartOver: () => void; submitLabel: string }) {
  const t = useT();
  return (
    <div className="dialog-actions">
      <button
        type="button"
        className="button button-secondary"
        onClick={props.onStartOver}
        disabled={props.pending}
      >
        {t('telegram.startOver')}
      </button>
      <button type="submit" className="button button-primary" disabled={props.pending}>
        {props.pending ? t('telegram.checking') : props.submitLabel}
      </button>
    </div>
  );
}

function StepError({ mutation }: { mutation: { error: unknown } }) {
  const errorText = useErrorText();
  return mutation.error ? <ErrorAlert>{errorText.withRetry(mutation.error)}</ErrorAlert> : null;
}
