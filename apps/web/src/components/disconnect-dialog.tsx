import type { ConnectionDto, DisconnectOutput } from '@plugboard/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useLayoutEffect, useRef } from 'react';
import { T, useT } from '../i18n/react';
import { useErrorText } from '../lib/errors';
import { connectionTitle } from '../lib/labels';
import { useTRPC } from '../lib/trpc';
import { ErrorAlert } from './error-alert';

interface DisconnectDialogProps {
  connection: ConnectionDto;
  onCancel: () => void;
  onDisconnected: (connection: ConnectionDto, result: DisconnectOutput) => void;
}

/**
 * Asks before deleting a connection. A native modal <dialog> gives the focus trap, Escape and
 * the inert background for free; Cancel has the initial focus because disconnecting is final.
 */
export function DisconnectDialog({ connection, onCancel, onDisconnected }: DisconnectDialogProps) {
  const t = useT();
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  const disconnect = useMutation(
    trpc.connect.connections.disconnect.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries(trpc.connect.connections.list.queryFilter());
        onDisconnected(connection, result);
      },
    }),
  );

  // A layout effect, so close() runs before React removes the element: closing is what hands
  // focus back to the button that opened the dialog.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const { providerName } = connection;
  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        // Escape must not hide the dialog while the request is still running.
        event.preventDefault();
        if (!disconnect.isPending) onCancel();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {t('disconnect.title', { provider: providerName })}
      </h2>
      <p id={descriptionId}>
        <T
          id="disconnect.text"
          values={{ connection: connectionTitle(connection), provider: providerName }}
          components={{ 0: <strong /> }}
        />
      </p>
      {disconnect.error ? <ErrorAlert>{errorText.of(disconnect.error)}</ErrorAlert> : null}
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={onCancel}
          disabled={disconnect.isPending}
          autoFocus
        >
          {t('disconnect.cancel')}
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => disconnect.mutate({ connectionId: connection.id })}
          disabled={disconnect.isPending}
        >
          {disconnect.isPending ? t('disconnect.pending') : t('disconnect.confirm')}
        </button>
      </div>
    </dialog>
  );
}
