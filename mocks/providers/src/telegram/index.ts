import { definePersonality } from '../core/personality';
import { AccountDirectory, defaultTelegramAccount } from './accounts';
import { registerBotApiRoutes } from './bot-api';
import { botApiFault, registerDataRoutes } from './data';
import { registerTelegramControl } from './control';
import { registerMethodRoutes } from './methods';
import { registerPageRoutes } from './pages';
import { TelegramState } from './state';

const brand = { name: 'Telegram', colour: '#2AABEE' };

/**
 * Telegram user login (https://core.telegram.org/api/auth). Real Telegram speaks binary MTProto, so
 * this is an HTTP emulation for the server's HTTP Telegram gateway: `POST /telegram/<method>` with
 * the MTProto method's parameters as JSON, answering its result constructor as JSON (`_` =
 * constructor name) or gramjs's RPCError shape `{ error_code, error_message }`.
 */
export const telegram = definePersonality({
  id: 'telegram',
  brand,
  endpoints: [
    'auth.sendCode',
    'auth.signIn',
    'account.getPassword',
    'auth.checkPassword',
    'auth.exportLoginToken',
    'auth.acceptLoginToken',
    'auth.logOut',
    'users.getMe',
    'updates.getState',
    'phone',
    'scan',
    'scan.approve',
    'bot.getMe',
    'data',
  ],
  defaultAccount: defaultTelegramAccount,
  faultResponse(kind, endpoint, fault) {
    if (endpoint === 'data') return botApiFault(kind, fault);
    switch (kind) {
      case 'error_500':
        return { status: 500, body: { error_code: 500, error_message: 'INTERNAL' } };
      case 'rate_limit':
        // gramjs turns FLOOD_WAIT_<n> into a FloodWaitError with `.seconds = n`.
        return {
          status: 420,
          body: { error_code: 420, error_message: `FLOOD_WAIT_${fault.retryAfterSeconds}` },
        };
      case 'invalid_grant':
        // Telegram's "this session is no good": the client must log in again.
        return { status: 401, body: { error_code: 401, error_message: 'AUTH_KEY_UNREGISTERED' } };
    }
  },
  register(router, ctx) {
    const state = new TelegramState(ctx.clock);
    ctx.onReset(() => state.reset());
    const deps = { ctx, state, accounts: new AccountDirectory(() => ctx.currentAccount()) };
    registerMethodRoutes(router, deps);
    registerPageRoutes(router, deps, brand);
    registerTelegramControl(deps);
    registerDataRoutes(router, ctx, registerBotApiRoutes(router, ctx));
  },
});
