import type { ErrorCode, ProviderId } from '@plugboard/contracts';
import { readMessage } from './protocol';

export type { ErrorCode, ProviderId } from '@plugboard/contracts';
export { PROTOCOL, PROTOCOL_VERSION, type ConnectMessage } from './protocol';

export type ConnectMode = 'popup' | 'modal' | 'redirect';

export interface ConnectSuccess {
  connectionId: string;
  providerId: ProviderId;
  accountLabel: string;
}

export interface ConnectError {
  code: ErrorCode;
  message: string;
}

export interface PlugboardConnectOptions {
  /** Plugboard's address; default: the origin this module was loaded from (`/sdk/connect.js`). */
  baseUrl?: string;
  /** Asks the host's backend for a fresh connect token (`server.connectTokens.create` → `ctok_…`). */
  tokenCallback: () => Promise<string>;
}

export interface OpenOptions {
  /** Straight into one provider's flow; omitted: the provider list. */
  providerId?: ProviderId;
  /** Default `popup`; `modal` is an iframe overlay on this page; `redirect` leaves the page. */
  mode?: ConnectMode;
  /** The provider's inputs, skipping their fields (Shopify's `shop`). */
  inputs?: { shop?: string };
  /** A blocked popup: `error` (default) reports POPUP_BLOCKED, `modal` opens the modal instead. */
  popupBlocked?: 'error' | 'modal';
  /** The modal's accessible names, in the page's language. */
  labels?: { dialog?: string; close?: string };
  onSuccess?(e: ConnectSuccess): void;
  onError?(e: ConnectError): void;
  /** The user closed the popup or modal without finishing. */
  onClose?(): void;
}

export interface ConnectHandle {
  /** Closes the popup or modal (without calling onClose). */
  close(): void;
}

export interface PlugboardConnect {
  open(options?: OpenOptions): ConnectHandle;
}

const POPUP_NAME = 'plugboard-connect';

export function createPlugboardConnect(options: PlugboardConnectOptions): PlugboardConnect {
  const base = new URL(options.baseUrl ?? import.meta.url);
  const plugboardOrigin = base.origin;

  const connectUrl = (token: string, mode: ConnectMode, open: OpenOptions) => {
    const url = new URL('/connect', plugboardOrigin);
    url.searchParams.set('token', token);
    url.searchParams.set('embed', mode);
    if (mode !== 'redirect') url.searchParams.set('origin', location.origin);
    if (open.providerId) url.searchParams.set('provider', open.providerId);
    if (open.inputs?.shop) url.searchParams.set('shop', open.inputs.shop);
    return url.toString();
  };

  return {
    open(open: OpenOptions = {}) {
      let done = false;
      let popup: Window | null = null;
      let frame: HTMLIFrameElement | null = null;
      let overlay: HTMLElement | null = null;
      let poll: ReturnType<typeof setInterval> | undefined;
      const returnFocus = document.activeElement as HTMLElement | null;

      const cleanup = () => {
        removeEventListener('message', onMessage);
        removeEventListener('keydown', onKey, true);
        clearInterval(poll);
        popup?.close();
        if (overlay) {
          overlay.remove();
          returnFocus?.focus?.();
        }
      };
      const finish = (notify?: () => void) => {
        if (done) return;
        done = true;
        cleanup();
        notify?.();
      };
      const fail = (code: ErrorCode, message: string) =>
        finish(() => open.onError?.({ code, message }));

      // Only Plugboard's origin, and only the window this call opened or framed, is heard.
      function onMessage(event: MessageEvent) {
        const from = popup ?? frame?.contentWindow ?? null;
        if (event.origin !== plugboardOrigin || from === null || event.source !== from) return;
        const message = readMessage(event.data);
        if (!message) return;
        if (message.type === 'success') {
          const { connectionId, providerId, accountLabel } = message;
          finish(() => open.onSuccess?.({ connectionId, providerId, accountLabel }));
        } else if (message.type === 'error') fail(message.code, message.message);
        else finish(open.onClose);
      }
      function onKey(event: KeyboardEvent) {
        if (event.key === 'Escape') finish(open.onClose);
      }

      const withToken = (go: (token: string) => void) => {
        options.tokenCallback().then(
          (token) => {
            if (done) return;
            if (typeof token !== 'string' || !token.startsWith('ctok_')) {
              fail(
                'CONNECT_TOKEN_INVALID',
                'tokenCallback did not return a connect token (ctok_…).',
              );
            } else go(token);
          },
          () => fail('CONNECT_TOKEN_INVALID', 'tokenCallback failed to get a connect token.'),
        );
      };

      const openModal = () => {
        // On a phone the dialog is a sheet below a 56 px band that holds the close button, so
        // the button covers nothing of the Connect UI; wider, the button sits in the overlay's
        // corner beside the centred dialog.
        const narrow = innerWidth < 600;
        overlay = document.createElement('div');
        overlay.style.cssText = `position:fixed;inset:0;z-index:2147483647;display:flex;flex-direction:column;align-items:center;justify-content:${narrow ? 'flex-end' : 'center'};background:rgba(15,23,42,.6)`;
        // The overlay is the dialog, so its close button is inside it for assistive technology.
        overlay.setAttribute('role', 'dialog');
        overlay.setAttribute('aria-modal', 'true');
        overlay.setAttribute('aria-label', open.labels?.dialog ?? 'Connect an account');
        const dialog = document.createElement('div');
        dialog.style.cssText = `position:relative;${narrow ? 'width:100%;height:calc(100% - 56px);border-radius:12px 12px 0 0' : 'width:520px;height:min(760px,100%);border-radius:12px'};background:#fff;overflow:hidden;box-shadow:0 20px 50px rgba(0,0,0,.3)`;
        const close = document.createElement('button');
        close.type = 'button';
        close.textContent = '×';
        close.setAttribute('aria-label', open.labels?.close ?? 'Close');
        // In the overlay's corner, outside the dialog, so it covers nothing of the Connect UI.
        close.style.cssText =
          'position:absolute;top:10px;right:12px;width:36px;height:36px;border:0;border-radius:18px;background:#fff;color:#0f172a;font:22px/1 system-ui;cursor:pointer';
        close.onclick = () => finish(open.onClose);
        frame = document.createElement('iframe');
        frame.title = open.labels?.dialog ?? 'Connect an account';
        frame.style.cssText = 'width:100%;height:100%;border:0';
        dialog.append(frame);
        overlay.append(dialog, close);
        document.body.append(overlay);
        addEventListener('keydown', onKey, true);
        frame.focus();
        withToken((token) => {
          frame!.src = connectUrl(token, 'modal', open);
        });
      };

      const mode = open.mode ?? 'popup';
      addEventListener('message', onMessage);
      if (mode === 'redirect') {
        withToken((token) => location.assign(connectUrl(token, 'redirect', open)));
      } else if (mode === 'modal') {
        openModal();
      } else {
        // Opened now, while the click that asked for it still counts (browsers block popups
        // opened later); the connect link follows once the backend has minted the token.
        const width = 520;
        const height = 720;
        const left = Math.max(0, screenX + (outerWidth - width) / 2);
        const top = Math.max(0, screenY + (outerHeight - height) / 2);
        // A phone has no room for a window beside the page: there the Connect UI opens as a
        // full tab (what mobile browsers make of popups anyway, sized to the screen instead of
        // 520 px wide), the SDK closes it when done, and the browser returns to this tab.
        const phone = Math.min(screen.width, screen.height) < 600;
        popup = phone
          ? window.open('about:blank', POPUP_NAME)
          : window.open(
              'about:blank',
              POPUP_NAME,
              `popup,width=${width},height=${height},left=${left},top=${top}`,
            );
        if (!popup) {
          if (open.popupBlocked === 'modal') openModal();
          else {
            // After open() has returned its handle, like every other outcome.
            queueMicrotask(() =>
              fail('POPUP_BLOCKED', 'The browser blocked the connect window (pop-ups disabled).'),
            );
          }
        } else {
          const opened = popup;
          withToken((token) => opened.location.replace(connectUrl(token, 'popup', open)));
          poll = setInterval(() => {
            if (opened.closed) finish(open.onClose);
          }, 250);
        }
      }

      return { close: () => finish() };
    },
  };
}
