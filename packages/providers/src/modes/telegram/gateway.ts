import { PlugboardError } from '@plugboard/contracts';

/**
 * The Telegram gateway port: the MTProto login calls the Telegram flow needs, behind one
 * interface. Two adapters: gramjs (live, binary MTProto to Telegram's DCs) and HTTP (the mock's
 * JSON emulation of the same methods). `session` is what a gramjs StringSession saves — the
 * MTProto auth key — so it is a credential: sealed wherever it is stored, never logged.
 */
export interface TelegramUser {
  /** TL `long`, as a decimal string. */
  id: string;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  phone: string | null;
}

export interface TelegramSentCode {
  session: string;
  phoneCodeHash: string;
  codeLength: number | null;
  timeoutSeconds: number | null;
}

/** Every answer carries the session to keep: it can change (a DC migration, a new auth key). */
export type TelegramAuthResult =
  | { kind: 'authorized'; session: string; user: TelegramUser }
  | { kind: 'password_needed'; session: string; hint: string | null };

export type TelegramLoginTokenResult =
  TelegramAuthResult | { kind: 'token'; session: string; token: Buffer; expiresAt: Date };

export interface TelegramGateway {
  sendCode(args: { phone: string; session?: string | undefined }): Promise<TelegramSentCode>;
  signIn(args: {
    session: string;
    phone: string;
    phoneCodeHash: string;
    code: string;
  }): Promise<TelegramAuthResult>;
  /** Fetches a fresh SRP challenge and answers it (each srp_id is single use). */
  checkPassword(args: {
    session: string;
    password: string;
  }): Promise<Extract<TelegramAuthResult, { kind: 'authorized' }>>;
  /** Without a session, starts one. Re-exporting while the token lives returns the same token. */
  exportLoginToken(args: { session?: string | undefined }): Promise<TelegramLoginTokenResult>;
  getMe(args: { session: string }): Promise<TelegramUser>;
  logOut(args: { session: string }): Promise<void>;
}

/**
 * Maps an MTProto RPC error (code + message, the same from gramjs's RPCError and the mock's JSON)
 * to a PlugboardError a person can act on. SESSION_PASSWORD_NEEDED is not an error here: the
 * adapters turn it into the `password_needed` result before this is reached.
 */
export function telegramRpcError(code: number, message: string): PlugboardError {
  const flood = /^FLOOD(?:_PREMIUM)?_WAIT_(\d+)$/.exec(message);
  if (flood) {
    const seconds = Number(flood[1]);
    return new PlugboardError(
      'FLOOD_WAIT',
      `Telegram asks to wait ${seconds} seconds before trying again.`,
      { retryAfterSeconds: seconds },
    );
  }
  switch (message) {
    case 'PHONE_CODE_INVALID':
    case 'PHONE_CODE_EMPTY':
      return new PlugboardError('CODE_INVALID');
    case 'PHONE_CODE_EXPIRED':
    case 'PHONE_CODE_HASH_EMPTY':
      return new PlugboardError('CODE_EXPIRED');
    case 'PASSWORD_HASH_INVALID':
      return new PlugboardError('PASSWORD_INVALID');
    case 'SESSION_PASSWORD_NEEDED':
      return new PlugboardError('PASSWORD_NEEDED');
    case 'PHONE_NUMBER_INVALID':
    case 'PHONE_NUMBER_BANNED':
      return new PlugboardError('PHONE_INVALID');
    case 'PHONE_NUMBER_UNOCCUPIED':
      return new PlugboardError(
        'PHONE_INVALID',
        'No Telegram account uses this phone number. Sign up in the Telegram app first.',
      );
    case 'AUTH_KEY_UNREGISTERED':
    case 'SESSION_REVOKED':
    case 'SESSION_EXPIRED':
    case 'USER_DEACTIVATED':
      return new PlugboardError(
        'CONNECTION_NEEDS_REAUTH',
        'Telegram no longer accepts this sign-in. Connect the account again.',
      );
    case 'API_ID_INVALID':
      return new PlugboardError(
        'PROVIDER_ERROR',
        'Telegram refused the app credentials (api_id / api_hash). Check the server configuration.',
      );
  }
  if (code >= 500 || code === -500) {
    return new PlugboardError(
      'PROVIDER_UNAVAILABLE',
      'Telegram is having problems. Try again in a few minutes.',
    );
  }
  return new PlugboardError('PROVIDER_ERROR', 'Telegram refused the request. Start again.');
}

/** `+1 555 …0001` style, for logs: enough to tell flows apart, not enough to identify anyone. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? '***' : `${phone.slice(0, 3)}…${phone.slice(-2)}`;
}
