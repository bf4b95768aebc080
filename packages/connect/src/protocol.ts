import type { ErrorCode, ProviderId } from '@plugboard/contracts';

/**
 * The messages between the Connect UI (apps/web/src/embed/) and this SDK, version 1. They carry
 * ids, the provider and the account's label only — never a token, code, state or credential.
 * The Connect UI posts them only to the host origin its session allows (exact, never `*`); the
 * SDK accepts them only from Plugboard's origin and from the window it opened or framed.
 */
export const PROTOCOL = 'plugboard-connect';
export const PROTOCOL_VERSION = 1;

export type ConnectMessage =
  | { type: 'success'; connectionId: string; providerId: ProviderId; accountLabel: string }
  | { type: 'error'; code: ErrorCode; message: string }
  /** The user closed the modal from inside it. */
  | { type: 'close' };

export type Envelope = ConnectMessage & { source: typeof PROTOCOL; v: typeof PROTOCOL_VERSION };

export function envelope(message: ConnectMessage): Envelope {
  return { source: PROTOCOL, v: PROTOCOL_VERSION, ...message };
}

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** The message if `data` is a well-formed v1 message; anything else is ignored (null). */
export function readMessage(data: unknown): ConnectMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.source !== PROTOCOL || m.v !== PROTOCOL_VERSION) return null;
  switch (m.type) {
    case 'success':
      return text(m.connectionId, 100) && text(m.providerId, 64) && text(m.accountLabel, 500)
        ? {
            type: 'success',
            connectionId: m.connectionId,
            providerId: m.providerId as ProviderId,
            accountLabel: m.accountLabel,
          }
        : null;
    case 'error':
      return text(m.code, 64) && text(m.message, 1000)
        ? { type: 'error', code: m.code as ErrorCode, message: m.message }
        : null;
    case 'close':
      return { type: 'close' };
    default:
      return null;
  }
}
