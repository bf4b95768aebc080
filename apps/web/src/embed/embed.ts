import type { ErrorCode, ProviderId, SessionDto } from '@plugboard/contracts';

/**
 * The Connect UI inside `@plugboard/connect` (packages/connect): opened as a popup, framed as a
 * modal, or reached in redirect mode. The server checked the page's origin against the session
 * when the link was opened (apps/server/src/embed-link.ts); ./report.ts checks it again before
 * every message and posts only to that exact origin, never `*`. This module is what every page
 * needs at start; report.ts loads once there is an outcome to report in an embed.
 */
export type EmbedMode = 'popup' | 'modal' | 'redirect';

export interface EmbedContext {
  mode: EmbedMode;
  /** The host page's origin (popup and modal). */
  origin: string | null;
  /** The SDK's `open({ providerId })`, a hint within what the session allows. */
  provider: ProviderId | null;
  /** The SDK's `inputs.shop`. */
  shop: string | null;
}

const STORAGE_KEY = 'plugboard.embed';
const MODES: readonly string[] = ['popup', 'modal', 'redirect'];

let current: EmbedContext | null | undefined;

/**
 * The embed context of this tab. The link's parameters are read once and kept in
 * sessionStorage, which lives as long as the popup or frame, so they survive the trip to the
 * provider and back; the address bar is cleaned of them.
 */
export function embedContext(): EmbedContext | null {
  if (current !== undefined) return current;
  const params = new URLSearchParams(window.location.search);
  const mode = params.get('embed');
  if (mode !== null && MODES.includes(mode)) {
    current = {
      mode: mode as EmbedMode,
      origin: params.get('origin'),
      provider: (params.get('provider') as ProviderId | null) ?? null,
      shop: params.get('shop'),
    };
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
    } catch {
      // Storage refused (a strict privacy setting): this page still knows.
    }
    for (const key of ['embed', 'origin', 'provider', 'shop']) params.delete(key);
    const query = params.toString();
    history.replaceState(history.state, '', window.location.pathname + (query ? `?${query}` : ''));
    return current;
  }
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY);
    current = stored ? (JSON.parse(stored) as EmbedContext) : null;
  } catch {
    current = null;
  }
  return current;
}

/** Why this page may not talk to the page that embeds it, or null when it may. */
export function embedProblem(ctx: EmbedContext | null, session: SessionDto): ErrorCode | null {
  if (!ctx || ctx.mode === 'redirect') return null;
  return ctx.origin !== null && session.allowedOrigins.includes(ctx.origin)
    ? null
    : 'EMBED_ORIGIN_NOT_ALLOWED';
}

/**
 * In the modal, the provider's sign-in runs in a popup of its own (providers refuse to be
 * framed; packages/api/src/routers/connect/oauth/start-popup-oauth.ts). That popup ends on this
 * app's result page, with no session of its own (the frame's cookie is partitioned): the frame
 * that opened it shows the result, so the popup closes.
 */
export function handOverToOpeningFrame(): boolean {
  // The callback of a modal's popup attempt returns here with `status` (headless-style): the
  // frame is already showing this attempt and polls it, so this window is done.
  if (!new URLSearchParams(window.location.search).has('status')) return false;
  if (embedContext() !== null) return false;
  window.close();
  return true;
}
