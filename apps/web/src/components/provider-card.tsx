import type { ConnectionDto, ProviderSummary, StartOAuthInput } from '@plugboard/contracts';
import { useEffect, useId, useRef, type FormEvent } from 'react';
import { assertNever } from '../lib/assert-never';
import { describedBy } from '../lib/described-by';
import { errorMessageOf, inputNameOf } from '../lib/errors';
import { ErrorAlert } from './error-alert';
import { ProviderConnectionState } from './provider-connection-state';
import { ProviderMark, providerStyle } from './provider-mark';

interface ProviderCardProps {
  provider: ProviderSummary;
  onConnect: (input: StartOAuthInput) => void;
  /** Opens the Telegram sign-in dialog (Telegram has no OAuth redirect). */
  onConnectTelegram: () => void;
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
  busy,
  redirecting,
  error,
  connections,
  onReconnect,
}: ProviderCardProps) {
  const idPrefix = useId();
  const connectable = isConnectableHere(provider);
  const fields = useRef(new Map<string, HTMLInputElement>());
  const message = error ? errorMessageOf(error) : null;
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
          {connectable ? null : <span className="badge badge-neutral">Coming soon</span>}
        </div>
      </div>
      <p className="provider-description">{provider.description}</p>
      <ProviderConnectionState connections={connections} onReconnect={onReconnect} busy={busy} />
      {connectable && provider.authMode === 'telegram' ? (
        <div className="provider-form">
          <button
            type="button"
            className="button button-provider"
            onClick={onConnectTelegram}
            disabled={busy}
            aria-haspopup="dialog"
          >
            <span>
              Connect<span className="provider-button-name"> {provider.name}</span>
            </span>
          </button>
        </div>
      ) : connectable ? (
        <form className="provider-form" onSubmit={handleSubmit}>
          {provider.inputs.map((spec) => {
            const inputId = `${idPrefix}-${spec.name}`;
            const hintId = `${inputId}-hint`;
            const invalid = errorInput === spec.name;
            return (
              <div className="field" key={spec.name}>
                <label htmlFor={inputId}>{spec.label}</label>
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
                  aria-describedby={describedBy(spec.hint && hintId, invalid && errorId)}
                  aria-invalid={invalid || undefined}
                  disabled={busy}
                />
                {spec.hint ? (
                  <p className="field-hint" id={hintId}>
                    {spec.hint}
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
                Redirecting to {provider.name}…
              </>
            ) : (
              <>
                <span>
                  Connect<span className="provider-button-name"> {provider.name}</span>
                </span>
              </>
            )}
          </button>
        </form>
      ) : null}
      {message && !errorInput ? <ErrorAlert id={errorId}>{message}</ErrorAlert> : null}
    </li>
  );
}

/** Whether this page can run the provider's flow today. */
function isConnectableHere(provider: ProviderSummary): boolean {
  if (provider.availability !== 'available') return false;
  switch (provider.authMode) {
    case 'oauth2':
    case 'telegram':
      return true;
    default:
      return assertNever(provider.authMode);
  }
}
