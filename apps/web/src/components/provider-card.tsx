import type { ConnectionDto, ProviderSummary, StartOAuthInput } from '@plugboard/contracts';
import { useEffect, useId, useRef, type FormEvent } from 'react';
import { T, useT, useTranslateOr } from '../i18n/react';
import { assertNever } from '../lib/assert-never';
import { describedBy } from '../lib/described-by';
import { inputNameOf, useErrorText } from '../lib/errors';
import { ErrorAlert } from './error-alert';
import { ProviderConnectionState } from './provider-connection-state';
import { ProviderMark, providerStyle } from './provider-mark';

interface ProviderCardProps {
  provider: ProviderSummary;
  onConnect: (input: StartOAuthInput) => void;
  /** Opens the Telegram sign-in dialog (Telegram has no OAuth redirect). */
  onConnectTelegram: () => void;
  /** Opens the form for an `api_key` provider's credentials. */
  onConnectApiKey: () => void;
  /** The pointer or focus is on an API-key provider's button: time to fetch the form's code. */
  onApiKeyIntent?: () => void;
  /** The pointer or focus is on the Telegram button: a good moment to fetch the dialog's code. */
  onTelegramIntent?: () => void;
  /** Some connect is starting (maybe for another provider): one redirect at a time. */
  busy: boolean;
  redirecting: boolean;
  /** Why starting this provider's connect failed (a tRPC error), or null. */
  error: unknown;
  /** This user's connections to this provider, shown on the card. */
  connections: ConnectionDto[];
  onReconnect: (connection: ConnectionDto) => void;
}

export function ProviderCard({
  provider,
  onConnect,
  onConnectTelegram,
  onTelegramIntent,
  onConnectApiKey,
  onApiKeyIntent,
  busy,
  redirecting,
  error,
  connections,
  onReconnect,
}: ProviderCardProps) {
  const t = useT();
  const translateOr = useTranslateOr();
  const errorText = useErrorText();
  const idPrefix = useId();
  const connectable = isConnectableHere(provider);
  const fields = useRef(new Map<string, HTMLInputElement>());
  const message = error ? errorText.of(error) : null;
  // An error about one of the inputs (a shop that is not a shop) is shown at that field.
  const named = error ? inputNameOf(error) : null;
  const errorInput = named && provider.inputs.some((spec) => spec.name === named) ? named : null;
  const errorId = `${idPrefix}-error`;

  useEffect(() => {
    // The field was disabled while the start ran, which dropped the focus: go back to it with
    // its text selected, ready to be corrected.
    const field = errorInput ? fields.current.get(errorInput) : undefined;
    if (!error || !field) return;
    field.focus();
    field.select();
  }, [error, errorInput]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const inputs = Object.fromEntries(
      provider.inputs.map((spec) => [spec.name, String(form.get(spec.name) ?? '').trim()]),
    );
    onConnect({
      providerId: provider.id,
      ...(provider.inputs.length > 0 ? { inputs } : {}),
    });
  };

  return (
    <li
      className={`provider-card${connectable ? '' : ' provider-card-muted'}`}
      style={providerStyle(provider.color)}
    >
      <div className="provider-card-head">
        <ProviderMark name={provider.name} color={provider.color} brand={provider.brand} />
        <div className="provider-title">
          <h3 className="provider-name">{provider.name}</h3>
          {connectable ? null : (
            <span className="badge badge-neutral">{t('providers.comingSoon')}</span>
          )}
        </div>
      </div>
      <p className="provider-description">
        {translateOr(`provider.${provider.id}.description`, provider.description)}
      </p>
      <ProviderConnectionState connections={connections} onReconnect={onReconnect} busy={busy} />
      {connectable && provider.authMode === 'telegram' ? (
        <div className="provider-form">
          <button
            type="button"
            className="button button-provider"
            onClick={onConnectTelegram}
            onPointerEnter={onTelegramIntent}
            onFocus={onTelegramIntent}
            disabled={busy}
            aria-haspopup="dialog"
          >
            <ConnectLabel name={provider.name} />
          </button>
        </div>
      ) : connectable && provider.authMode === 'api_key' ? (
        <div className="provider-form">
          <button
            type="button"
            className="button button-provider"
            onClick={onConnectApiKey}
            onPointerEnter={onApiKeyIntent}
            onFocus={onApiKeyIntent}
            disabled={busy}
            aria-haspopup="dialog"
          >
            <ConnectLabel name={provider.name} />
          </button>
        </div>
      ) : connectable ? (
        <form className="provider-form" onSubmit={handleSubmit}>
          {provider.inputs.map((spec) => {
            const inputId = `${idPrefix}-${spec.name}`;
            const hintId = `${inputId}-hint`;
            // The server's English is the fallback for a provider or input not translated yet.
            const key = `provider.${provider.id}.inputs.${spec.name}`;
            const hint = spec.hint ? translateOr(`${key}.hint`, spec.hint) : null;
            const invalid = errorInput === spec.name;
            return (
              <div className="field" key={spec.name}>
                <label htmlFor={inputId}>{translateOr(`${key}.label`, spec.label)}</label>
                <input
                  ref={(node) => {
                    if (node) fields.current.set(spec.name, node);
                    else fields.current.delete(spec.name);
                  }}
                  id={inputId}
                  name={spec.name}
                  type="text"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={spec.placeholder}
                  aria-describedby={describedBy(hint && hintId, invalid && errorId)}
                  aria-invalid={invalid || undefined}
                  disabled={busy}
                />
                {hint ? (
                  <p className="field-hint" id={hintId}>
                    {hint}
                  </p>
                ) : null}
                {invalid ? <ErrorAlert id={errorId}>{message}</ErrorAlert> : null}
              </div>
            );
          })}
          <button type="submit" className="button button-provider" disabled={busy}>
            {redirecting ? (
              <>
                <span className="spinner" aria-hidden="true" />
                {t('providers.redirecting', { provider: provider.name })}
              </>
            ) : (
              <ConnectLabel name={provider.name} />
            )}
          </button>
        </form>
      ) : null}
      {message && !errorInput ? <ErrorAlert id={errorId}>{message}</ErrorAlert> : null}
    </li>
  );
}

/** "Connect Notion", whose provider name a phone-width card leaves to the card's heading. */
function ConnectLabel({ name }: { name: string }) {
  return (
    <span>
      <T
        id="providers.connectButton"
        values={{ provider: name }}
        components={{ 0: <span className="provider-button-name" /> }}
      />
    </span>
  );
}

/** Whether this page can run the provider's flow today. */
function isConnectableHere(provider: ProviderSummary): boolean {
  if (provider.availability !== 'available') return false;
  switch (provider.authMode) {
    case 'oauth2':
    case 'telegram':
    case 'api_key':
      return true;
    default:
      return assertNever(provider.authMode);
  }
}
