import type {
  TelegramAuthResult,
  TelegramGateway,
  TelegramLoginTokenResult,
  TelegramSentCode,
  TelegramUser,
} from './gateway';
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

  async sendCode(args: { phone: string; session?: string | undefined }): Promise<TelegramSentCode> {
    return (await this.gateway()).sendCode(args);
  }

  async signIn(args: {
    session: string;
    phone: string;
    phoneCodeHash: string;
    code: string;
  }): Promise<TelegramAuthResult> {
    return (await this.gateway()).signIn(args);
  }

  async checkPassword(args: {
    session: string;
    password: string;
  }): Promise<Extract<TelegramAuthResult, { kind: 'authorized' }>> {
    return (await this.gateway()).checkPassword(args);
  }

  async exportLoginToken(args: {
    session?: string | undefined;
  }): Promise<TelegramLoginTokenResult> {
    return (await this.gateway()).exportLoginToken(args);
  }

  async getMe(args: { session: string }): Promise<TelegramUser> {
    return (await this.gateway()).getMe(args);
  }

  async logOut(args: { session: string }): Promise<void> {
    return (await this.gateway()).logOut(args);
  }
}
