import { PlugboardError, type MetadataOf } from '@plugboard/contracts';
import type { Account } from '../../types';
import type { AuthModeLifecycle, TelegramCredentials } from '../types';
import { telegramAccount } from './account';
import { telegramFlow, type TelegramStepFlow } from './flow';
import type { TelegramGateway, TelegramUser } from './gateway';

export * from './account';
export * from './flow';
export * from './gateway';
// Types only: gramjs itself loads on the live gateway's first call (live-gateway.ts).
export type { GramjsTelegramGatewayOptions, MtprotoClient } from './gramjs-gateway';
export * from './http-gateway';
export * from './live-gateway';

/**
 * The telegram mode: a user account signed in through MTProto's own login
 * (https://core.telegram.org/api/auth: phone code, then the 2FA password if set; or QR login,
 * https://core.telegram.org/api/qr-login). Its `steps` are the gateway's calls — gramjs live,
 * the mock's HTTP emulation otherwise, chosen in the composition root — and what a connection
 * keeps is the signed-in device's session string, which never expires by itself and is revoked
 * by logging the device out.
 */
export interface TelegramMode extends AuthModeLifecycle<TelegramCredentials> {
  steps: TelegramGateway;
  /** The sign-in's steps (phone → code → password, or QR), run by core's connect-flow runner. */
  flow: TelegramStepFlow;
  /** The account a signed-in user is connected as. */
  identity(user: TelegramUser, loginMethod: 'phone' | 'qr'): Account<MetadataOf<'telegram'>>;
  credentials(session: string): TelegramCredentials;
}

export function telegramMode(gateway: TelegramGateway): TelegramMode {
  return {
    type: 'telegram',
    // The sign-in (phone code, QR) has no check yet that it lands on the same account.
    reconnectsByLink: false,
    modeFromEnvironment: 'TELEGRAM_API_ID and TELEGRAM_API_HASH',
    appClient: false,
    defaultScopes: () => [],
    inputsFromMetadata: () => ({}),
    // A session is not probed daily (yet): it works until the device is logged out.
    healthCheck: null,
    steps: gateway,
    flow: telegramFlow(gateway),
    identity: telegramAccount,
    credentials: (session) => ({ type: 'telegram', session }),
    expiresAt: () => null,
    scopes: () => [],
    refreshable: () => false,
    refresh() {
      return Promise.reject(new PlugboardError('INTERNAL', 'Telegram sessions do not refresh.'));
    },
    async revoke(_entry, c) {
      // The stored session is a logged-in device: log it out so it stops working.
      await gateway.logOut({ session: c.session });
      return true;
    },
    toDto: (_entry, c) => ({
      type: 'telegram',
      session: c.session,
      accessToken: c.session,
      tokenType: 'telegram-session',
      expiresAt: null,
      scopes: [],
    }),
  };
}
