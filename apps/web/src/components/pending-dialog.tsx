import { useId, useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/react';
import { CloseButton } from './close-button';
import { ErrorAlert } from './error-alert';

interface PendingDialogProps {
  /** The title of the dialog that is coming, so the dialog a person sees keeps its name. */
  title: string;
  onClose: () => void;
  /** The dialog's code could not be downloaded. */
  failed?: boolean;
}

/**
 * Stands in for a dialog whose code is still downloading (see lib/lazy.tsx): the same native
 * modal <dialog> with the same name, so a click opens it at once and Escape closes it, with a
 * busy status until the real dialog replaces it (or an error if the download fails).
 */
export function PendingDialog({ title, onClose, failed = false }: PendingDialogProps) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-busy={!failed}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <CloseButton label={t('app.close')} onClick={onClose} />
      </div>
      {failed ? (
        <ErrorAlert>{t('app.chunkFailed')}</ErrorAlert>
      ) : (
        <p role="status" className="waiting">
          <span className="spinner" aria-hidden="true" />
          {t('app.loading')}
        </p>
      )}
    </dialog>
  );
}
