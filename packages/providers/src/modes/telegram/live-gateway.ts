import type { TelegramGateway } from './gateway';
import type { GramjsTelegramGateway, GramjsTelegramGatewayOptions } from './gramjs-gateway';

/**
 * The live gateway as the composition root builds it: gramjs is imported on the first call, not
 * at start. gramjs and its TL schema cost the server ~40 MB of memory, which a server whose
 * Telegram runs on the mock (or is never used) should not pay; the first live call pays ~0.3 s once.
 */
export class LiveTelegramGateway implements TelegramGateway {
  private loading: Promise<GramjsTelegramGateway> | undefined;

  constructor(private readonly options: GramjsTelegramGatewayOptions) {}

  private gateway(): Promise<GramjsTelegramGateway> {
    this.loading ??= import('./gramjs-gateway').then(
      (m) => new m.GramjsTelegramGateway(this.options),
      (err: unknown) => {
        this.loading = undefined; // a failed import is tried again on the next call
        throw err;
      },
    );
    return this.loading;
  }

  // Each call waits for gramjs, then is gramjs's own (the gateway's signatures, not restated).
  sendCode: TelegramGateway['sendCode'] = async (args) => (await this.gateway()).sendCode(args);
  signIn: TelegramGateway['signIn'] = async (args) => (await this.gateway()).signIn(args);
  checkPassword: TelegramGateway['checkPassword'] = async (args) =>
    (await this.gateway()).checkPassword(args);
  exportLoginToken: TelegramGateway['exportLoginToken'] = async (args) =>
    (await this.gateway()).exportLoginToken(args);
  getMe: TelegramGateway['getMe'] = async (args) => (await this.gateway()).getMe(args);
  logOut: TelegramGateway['logOut'] = async (args) => (await this.gateway()).logOut(args);
}
