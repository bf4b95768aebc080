import type { ConnectionDto } from '@plugboard/contracts';
import { useIsMutating, useQueryClient } from '@tanstack/react-query';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/react';
import { CloseButton } from '../close-button';
import { ErrorAlert } from '../error-alert';
import { useTRPC } from '../../lib/trpc';
import { PhonePanel } from './phone-panel';
import { LazyBoundary, lazyWithPreload } from '../../lib/lazy';

// The QR sign-in draws its code with the qrcode library: fetched when that method is chosen
// (or hovered), not with the dialog.
const QrPanel = lazyWithPreload(() => import('./qr-panel').then((m) => ({ default: m.QrPanel })));

interface TelegramDialogProps {
  onCancel: () => void;
  /** The connection is saved and the connections list refreshed. */
  onConnected: (connection: ConnectionDto) => void;
}

type Method = 'phone' | 'qr';

/**
 * Telegram has no OAuth: the user signs in step by step, with their phone number (code, then
 * maybe the two-step verification password) or by scanning a QR code in a Telegram app.
 * A native modal <dialog>, like the disconnect dialog: focus trap, Escape and inert background.
 * Each step focuses its own field (use-step-focus.ts).
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

  // A layout effect, so the dialog is open before the first step's effect focuses its field.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
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
        <CloseButton label={t('telegram.close')} onClick={onCancel} disabled={busy} />
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
          onPointerEnter={QrPanel.preload}
          onFocus={QrPanel.preload}
          disabled={busy}
        >
          {t('telegram.methodQr')}
        </button>
      </div>
      {method === 'phone' ? (
        <PhonePanel key="phone" onConnected={handleConnected} />
      ) : (
        <LazyBoundary
          key="qr"
          fallback={
            <p role="status" className="waiting" aria-busy="true">
              <span className="spinner" aria-hidden="true" />
              {t('app.loading')}
            </p>
          }
          failed={<ErrorAlert>{t('app.chunkFailed')}</ErrorAlert>}
        >
          <QrPanel onConnected={handleConnected} />
        </LazyBoundary>
      )}
    </dialog>
  );
}
