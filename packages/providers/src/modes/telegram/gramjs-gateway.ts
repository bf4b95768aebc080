import { PlugboardError } from '@plugboard/contracts';
import { TelegramClient } from 'telegram';
import { FloodWaitError, RPCError } from 'telegram/errors/index.js';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { computeCheck } from 'telegram/Password.js';
import { StringSession } from 'telegram/sessions/index.js';
import { Api } from 'telegram/tl/index.js';
import {
  telegramRpcError,
  type TelegramAuthResult,
  type TelegramGateway,
  type TelegramLoginTokenResult,
  type TelegramSentCode,
  type TelegramUser,
} from './gateway';

/** The part of gramjs's TelegramClient this adapter uses, so tests can hand in a fake. */
export interface MtprotoClient {
  connect(): Promise<unknown>;
  invoke<R extends Api.AnyRequest>(request: R): Promise<R['__response']>;
  /** Re-homes the auth key on another DC (QR login's `loginTokenMigrateTo`). */
  switchDc(dcId: number): Promise<void>;
  /** The StringSession to keep after the call (it changes when the DC or auth key does). */
  saveSession(): string;
  destroy(): Promise<void>;
}

export interface GramjsTelegramGatewayOptions {
  apiId: number;
  apiHash: string;
  /** Defaults to a real TelegramClient on a StringSession; tests pass a fake. */
  createClient?: (session: string) => MtprotoClient;
}

/**
 * The live gateway: gramjs speaking binary MTProto to Telegram's DCs, one short-lived client per
 * call on the stored StringSession (nothing a flow needs lives in this process's memory, so any
 * server instance can take the next step). Low-level `Api.auth.*` invocations rather than
 * gramjs's callback-driven `start()`, because each step is a separate HTTP request here.
 * FloodWait is surfaced, not slept on (`floodSleepThreshold: 0`): the user decides to wait.
 */
export class GramjsTelegramGateway implements TelegramGateway {
  private readonly createClient: (session: string) => MtprotoClient;

  constructor(private readonly options: GramjsTelegramGatewayOptions) {
    this.createClient =
      options.createClient ?? ((session) => realClient(session, options.apiId, options.apiHash));
  }

  sendCode(args: { phone: string; session?: string | undefined }): Promise<TelegramSentCode> {
    return this.withClient(args.session ?? '', async (client) => {
      const sent = await client.invoke(
        new Api.auth.SendCode({
          phoneNumber: args.phone,
          apiId: this.options.apiId,
          apiHash: this.options.apiHash,
          settings: new Api.CodeSettings({}),
        }),
      );
      if (!(sent instanceof Api.auth.SentCode)) {
        // auth.sentCodeSuccess: the session was already logged in, which a new flow never is.
        throw new PlugboardError('PROVIDER_ERROR', 'Telegram did not send a code. Start again.');
      }
      const length = 'length' in sent.type ? sent.type.length : undefined;
      return {
        session: client.saveSession(),
        phoneCodeHash: sent.phoneCodeHash,
        codeLength: typeof length === 'number' ? length : null,
        timeoutSeconds: sent.timeout ?? null,
      };
    });
  }

  signIn(args: {
    session: string;
    phone: string;
    phoneCodeHash: string;
    code: string;
  }): Promise<TelegramAuthResult> {
    return this.withClient(args.session, async (client) => {
      try {
        const result = await client.invoke(
          new Api.auth.SignIn({
            phoneNumber: args.phone,
            phoneCodeHash: args.phoneCodeHash,
            phoneCode: args.code,
          }),
        );
        return authorized(client, result);
      } catch (err) {
        if (isPasswordNeeded(err)) return passwordNeeded(client);
        throw err;
      }
    });
  }

  checkPassword(args: {
    session: string;
    password: string;
  }): Promise<Extract<TelegramAuthResult, { kind: 'authorized' }>> {
    return this.withClient(args.session, async (client) => {
      const challenge = await client.invoke(new Api.account.GetPassword());
      const check = await computeCheck(challenge, args.password);
      const result = await client.invoke(new Api.auth.CheckPassword({ password: check }));
      return authorized(client, result);
    });
  }

  exportLoginToken(args: { session?: string | undefined }): Promise<TelegramLoginTokenResult> {
    return this.withClient(args.session ?? '', async (client) => {
      try {
        let answer = await client.invoke(
          new Api.auth.ExportLoginToken({
            apiId: this.options.apiId,
            apiHash: this.options.apiHash,
            exceptIds: [],
          }),
        );
        if (answer instanceof Api.auth.LoginTokenMigrateTo) {
          // The scanning phone lives on another DC: import the token there (core.telegram.org/api/qr-login).
          await client.switchDc(answer.dcId);
          answer = await client.invoke(new Api.auth.ImportLoginToken({ token: answer.token }));
        }
        if (answer instanceof Api.auth.LoginTokenSuccess) {
          return authorized(client, answer.authorization);
        }
        if (answer instanceof Api.auth.LoginToken) {
          return {
            kind: 'token',
            session: client.saveSession(),
            token: Buffer.from(answer.token),
            expiresAt: new Date(answer.expires * 1000),
          };
        }
        throw new PlugboardError('PROVIDER_ERROR', 'Telegram did not issue a login token.');
      } catch (err) {
        if (isPasswordNeeded(err)) return passwordNeeded(client);
        throw err;
      }
    });
  }

  getMe(args: { session: string }): Promise<TelegramUser> {
    return this.withClient(args.session, async (client) => {
      const [user] = await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
      if (!(user instanceof Api.User)) {
        throw new PlugboardError('PROVIDER_ERROR', 'Telegram did not return the account.');
      }
      return toUser(user);
    });
  }

  logOut(args: { session: string }): Promise<void> {
    return this.withClient(args.session, async (client) => {
      await client.invoke(new Api.auth.LogOut());
    });
  }

  /** Connects on the session, runs one step, and always lets go of the connection. */
  private async withClient<T>(session: string, run: (client: MtprotoClient) => Promise<T>) {
    const client = this.createClient(session);
    try {
      await client.connect();
      return await run(client);
    } catch (err) {
      throw toPlugboardError(err);
    } finally {
      await client.destroy().catch(() => undefined);
    }
  }
}

function realClient(session: string, apiId: number, apiHash: string): MtprotoClient {
  const client = new TelegramClient(new StringSession(session), apiId, apiHash, {
    connectionRetries: 2,
    floodSleepThreshold: 0,
  });
  // gramjs logs at info by default, to stdout, outside Plugboard's logger and its redaction.
  client.setLogLevel(LogLevel.NONE);
  return {
    connect: () => client.connect(),
    invoke: (request) => client.invoke(request),
    switchDc: async (dcId) => {
      await client._switchDC(dcId);
    },
    saveSession: () => String(client.session.save()),
    destroy: () => client.destroy(),
  };
}

async function authorized(
  client: MtprotoClient,
  result: Api.auth.TypeAuthorization,
): Promise<Extract<TelegramAuthResult, { kind: 'authorized' }>> {
  if (!(result instanceof Api.auth.Authorization) || !(result.user instanceof Api.User)) {
    throw telegramRpcError(400, 'PHONE_NUMBER_UNOCCUPIED');
  }
  return { kind: 'authorized', session: client.saveSession(), user: toUser(result.user) };
}

async function passwordNeeded(client: MtprotoClient): Promise<TelegramAuthResult> {
  const challenge = await client.invoke(new Api.account.GetPassword());
  return { kind: 'password_needed', session: client.saveSession(), hint: challenge.hint ?? null };
}

function isPasswordNeeded(err: unknown): boolean {
  return err instanceof RPCError && err.errorMessage === 'SESSION_PASSWORD_NEEDED';
}

function toUser(user: Api.User): TelegramUser {
  return {
    id: user.id.toString(),
    firstName: user.firstName ?? null,
    lastName: user.lastName ?? null,
    username: user.username ?? null,
    phone: user.phone ?? null,
  };
}

/** gramjs errors → PlugboardErrors; anything that is not an RPC answer means Telegram is unreachable. */
function toPlugboardError(err: unknown): PlugboardError {
  if (err instanceof PlugboardError) return err;
  if (err instanceof FloodWaitError) return telegramRpcError(420, `FLOOD_WAIT_${err.seconds}`);
  if (err instanceof RPCError) return telegramRpcError(err.code ?? 400, err.errorMessage);
  return new PlugboardError(
    'PROVIDER_UNAVAILABLE',
    'Telegram could not be reached. Try again in a few minutes.',
    { cause: err },
  );
}
