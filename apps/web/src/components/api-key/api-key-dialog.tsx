import type { ConnectionDto, ProviderInputSpec, ProviderSummary } from '@plugboard/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useRef, type FormEvent } from 'react';
import { useT, useTranslateOr } from '../../i18n/react';
import { fieldNameOf, useErrorText } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { CloseButton } from '../close-button';
import { ErrorAlert } from '../error-alert';
import { CredentialField } from './credential-field';

interface ApiKeyDialogProps {
  provider: ProviderSummary;
  /** Renews this connection instead of adding one (Reconnect). */
  reconnectConnectionId?: string;
  onCancel: () => void;
  /** The connection is saved and the connections list refreshed. */
  onConnected: (connection: ConnectionDto) => void;
}

/**
 * Connects an `api_key` provider (a bot token, an integration secret, a restricted key) with the
 * fields the provider declares in `providers.list` (`inputs`: label, hint, placeholder, secret),
 * so a new provider needs no code here. The server checks each value's form and has the provider
 * verify them before it stores anything; a refused value is shown at its field, which gets the
 * focus back. A native modal <dialog> like the Telegram and disconnect dialogs.
 */
export function ApiKeyDialog({
  provider,
  reconnectConnectionId,
  onCancel,
  onConnected,
}: ApiKeyDialogProps) {
  const t = useT();
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const fields = useRef(new Map<string, HTMLInputElement>());
  const titleId = useId();
  const introId = useId();
  const idPrefix = useId();

  const connect = useMutation(
    trpc.connect.apiKey.connect.mutationOptions({
      onSuccess: async ({ connectionId }) => {
        await queryClient.invalidateQueries(trpc.connect.connections.list.queryFilter());
        const list = await queryClient.fetchQuery(trpc.connect.connections.list.queryOptions());
        const connection = list.find((c) => c.id === connectionId);
        if (connection) onConnected(connection);
      },
    }),
  );
  const { error } = connect;
  const named = error ? fieldNameOf(error, 'values') : null;
  const errorField = named && provider.inputs.some((spec) => spec.name === named) ? named : null;
  const errorId = `${idPrefix}-error`;

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    fields.current.get(provider.inputs[0]?.name ?? '')?.focus();
    // Closing hands focus back to the button that opened the dialog.
    return () => dialog?.close();
  }, [provider.inputs]);

  useEffect(() => {
    // The fields were disabled while the check ran, which dropped the focus: back to the one
    // that was refused, its text selected, ready to be corrected.
    const field = errorField ? fields.current.get(errorField) : undefined;
    if (!error || !field) return;
    field.focus();
    field.select();
  }, [error, errorField]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    // Copied keys often carry a space or line break at an end; none is part of a credential.
    const values = Object.fromEntries(
      provider.inputs.map((spec) => [spec.name, String(form.get(spec.name) ?? '').trim()]),
    );
    connect.mutate({
      providerId: provider.id,
      values,
      ...(reconnectConnectionId ? { reconnectConnectionId } : {}),
    });
  };

  const pending = connect.isPending || connect.isSuccess;
  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={introId}
      onCancel={(event) => {
        event.preventDefault();
        if (!pending) onCancel();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId} className="dialog-title">
          {t('providers.connect', { provider: provider.name })}
        </h2>
        <CloseButton label={t('app.close')} onClick={onCancel} disabled={pending} />
      </div>
      <p id={introId}>{t('apiKey.intro', { provider: provider.name })}</p>
      <form className="dialog-form" onSubmit={handleSubmit} noValidate={false}>
        {provider.inputs.map((spec) => (
          <ApiKeyField
            key={spec.name}
            provider={provider}
            spec={spec}
            inputId={`${idPrefix}-${spec.name}`}
            errorId={errorField === spec.name ? errorId : null}
            error={errorField === spec.name ? errorText.of(error) : null}
            disabled={pending}
            inputRef={(node) => {
              if (node) fields.current.set(spec.name, node);
              else fields.current.delete(spec.name);
            }}
          />
        ))}
        {error && !errorField ? <ErrorAlert>{errorText.withRetry(error)}</ErrorAlert> : null}
        <div className="dialog-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={onCancel}
            disabled={pending}
          >
            {t('apiKey.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? (
              <>
                <span className="spinner" aria-hidden="true" />
                {t('apiKey.checking', { provider: provider.name })}
              </>
            ) : (
              t('apiKey.submit')
            )}
          </button>
        </div>
      </form>
    </dialog>
  );
}

interface ApiKeyFieldProps {
  provider: ProviderSummary;
  spec: ProviderInputSpec;
  inputId: string;
  errorId: string | null;
  error: string | null;
  disabled: boolean;
  inputRef: (node: HTMLInputElement | null) => void;
}

/** One declared field, in the UI's language where the catalog has it (else the server's English). */
function ApiKeyField({ provider, spec, ...rest }: ApiKeyFieldProps) {
  const translateOr = useTranslateOr();
  const key = `apiKey.provider.${provider.id}.inputs.${spec.name}`;
  return (
    <CredentialField
      name={spec.name}
      label={translateOr(`${key}.label`, spec.label)}
      hint={spec.hint ? translateOr(`${key}.hint`, spec.hint) : null}
      placeholder={spec.placeholder}
      secret={spec.secret}
      {...rest}
    />
  );
}
