import type { ConnectionDto, ErrorCode, SessionDto } from '@plugboard/contracts';
import { envelope, type ConnectMessage } from '@plugboard/connect/protocol';
import { embedContext, embedProblem, type EmbedContext } from './embed';

/**
 * Telling the host page the outcome (popup, modal) or sending the browser back to it (redirect
 * mode): loaded only when an embedded Connect UI has an outcome (./use-embed.ts), so a page
 * opened without the SDK never downloads it.
 */

/** The window of the host page: the popup's opener, or the modal's parent. */
function hostWindow(ctx: EmbedContext): Window | null {
  if (ctx.mode === 'popup') return window.opener as Window | null;
  if (ctx.mode === 'modal') return window.parent === window ? null : window.parent;
  return null;
}

/** Posts to the host page, only to its exact origin and only if the session allows it. */
export function postToHost(session: SessionDto, message: ConnectMessage): boolean {
  const ctx = embedContext();
  if (!ctx || embedProblem(ctx, session) !== null || ctx.origin === null) return false;
  const target = hostWindow(ctx);
  if (!target) return false;
  target.postMessage(envelope(message), ctx.origin);
  return true;
}

export function successMessage(connection: ConnectionDto): ConnectMessage {
  return {
    type: 'success',
    connectionId: connection.id,
    providerId: connection.providerId,
    accountLabel: connection.label,
  };
}

/** Where redirect mode sends the browser: the token's URL with the result added. */
export function redirectTarget(
  session: SessionDto,
  outcome: { connectionId: string } | { error: ErrorCode },
): string | null {
  const base = 'connectionId' in outcome ? session.successRedirectUrl : session.errorRedirectUrl;
  if (!base) return null;
  const url = new URL(base);
  if ('connectionId' in outcome) url.searchParams.set('connectionId', outcome.connectionId);
  else url.searchParams.set('error', outcome.error);
  return url.toString();
}

export type Outcome = { connection: ConnectionDto } | { code: ErrorCode; message: string };

/** An outcome in an embed: back to the token's redirect URL, or a message to the host page. */
export function reportOutcome(session: SessionDto, outcome: Outcome): void {
  const ctx = embedContext();
  if (!ctx) return;
  if (ctx.mode === 'redirect') {
    const target = redirectTarget(
      session,
      'connection' in outcome ? { connectionId: outcome.connection.id } : { error: outcome.code },
    );
    if (target) window.location.assign(target);
    return;
  }
  postToHost(
    session,
    'connection' in outcome
      ? successMessage(outcome.connection)
      : { type: 'error', code: outcome.code, message: outcome.message },
  );
}
