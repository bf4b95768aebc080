import type { ProviderSummary, StartOAuthInput } from '@plugboard/contracts';
import { useId, type FormEvent } from 'react';
import { useT, useTranslateOr } from '../i18n/react';
import { assertNever } from '../lib/assert-never';
import { ErrorAlert } from './error-alert';
import { ProviderMark, providerStyle } from './provider-mark';

interface ProviderCardProps {
  provider: ProviderSummary;
  onConnect: (input: StartOAuthInput) => void;
  /** Opens the Telegram sign-in dialog (Telegram has no OAuth redirect). */
  onConnectTelegram: () => void;
  /** Some connect is starting (maybe for another provider): one redirect at a time. */
  busy: boolean;
  redirecting: boolean;
  error: string | null;
}

export function ProviderCard({
  provider,
  onConnect,
  onConnectTelegram,
  busy,
  redirecting,
  error,
}: ProviderCardProps) {
  const t = useT();
  const translateOr = useTranslateOr();
  const idPrefix = useId();
  const connectable = isConnectableHere(provider);

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
        <ProviderMark name={provider.name} color={provider.color} />
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
      {connectable && provider.authMode === 'telegram' ? (
        <div className="provider-form">
          <button
            type="button"
            className="button button-provider"
            onClick={onConnectTelegram}
            disabled={busy}
            aria-haspopup="dialog"
          >
            {t('providers.connect', { provider: provider.name })}
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
            return (
              <div className="field" key={spec.name}>
                <label htmlFor={inputId}>{translateOr(`${key}.label`, spec.label)}</label>
                <input
                  id={inputId}
                  name={spec.name}
                  type="text"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={spec.placeholder}
                  aria-describedby={hint ? hintId : undefined}
                  disabled={busy}
                />
                {hint ? (
                  <p className="field-hint" id={hintId}>
                    {hint}
                  </p>
                ) : null}
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
              t('providers.connect', { provider: provider.name })
            )}
          </button>
        </form>
      ) : null}
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
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
