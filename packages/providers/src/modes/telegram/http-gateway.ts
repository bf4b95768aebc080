import { PlugboardError } from '@plugboard/contracts';
import type { ProviderHttp } from '../../http';
import { z } from 'zod';
import {
  telegramRpcError,
  type TelegramAuthResult,
  type TelegramGateway,
  type TelegramLoginTokenResult,
  type TelegramSentCode,
  type TelegramUser,
} from './gateway';

/** Where the mock keeps MTProto's auth key: a header on every call, in and out. */
const SESSION_HEADER = 'x-telegram-session';

const RpcErrorSchema = z.object({ error_code: z.number(), error_message: z.string() });

const UserSchema = z.looseObject({
  _: z.literal('user'),
  id: z.union([z.string(), z.number()]).transform(String),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  username: z.string().nullish(),
  phone: z.string().nullish(),
});

const AuthorizationSchema = z.looseObject({ _: z.literal('auth.authorization'), user: UserSchema });

const SentCodeSchema = z.looseObject({
  _: z.literal('auth.sentCode'),
  type: z.looseObject({ _: z.string(), length: z.number().int().optional() }),
  phone_code_hash: z.string().min(1),
  timeout: z.number().int().optional(),
});

const PasswordSchema = z.looseObject({
  _: z.literal('account.password'),
  has_password: z.boolean(),
  hint: z.string().nullish(),
  current_algo: z
    .looseObject({
      _: z.literal('passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow'),
      salt1: z.string(),
      salt2: z.string(),
      g: z.number().int(),
      p: z.string(),
    })
    .optional(),
  srp_B: z.string().optional(),
  srp_id: z.union([z.string(), z.number()]).transform(String).optional(),
});

const LoginTokenSchema = z.discriminatedUnion('_', [
  z.looseObject({ _: z.literal('auth.loginToken'), expires: z.number().int(), token: z.string() }),
  z.looseObject({ _: z.literal('auth.loginTokenSuccess'), authorization: AuthorizationSchema }),
]);

export interface HttpTelegramGatewayOptions {
  /** `${MOCK_PROVIDERS_URL}/telegram` */
  baseUrl: string;
  apiId: number;
  apiHash: string;
  http: ProviderHttp;
}

/**
 * The gateway over the mock's HTTP emulation of MTProto (mocks/providers README, "Telegram"):
 * `POST <baseUrl>/<method>` with TL fields as JSON. The 2FA check is real SRP, computed by
 * gramjs's own `computeCheck`, so this adapter and the gramjs one send the same proof.
 */
export class HttpTelegramGateway implements TelegramGateway {
  constructor(private readonly options: HttpTelegramGatewayOptions) {}

  async sendCode(args: { phone: string; session?: string | undefined }): Promise<TelegramSentCode> {
    const res = await this.call('auth.sendCode', args.session, {
      phone_number: args.phone,
      ...this.app(),
      settings: { _: 'codeSettings' },
    });
    if (!res.ok) throw telegramRpcError(res.code, res.message);
    const sent = parse(SentCodeSchema, res.body);
    return {
      session: res.session,
      phoneCodeHash: sent.phone_code_hash,
      codeLength: sent.type.length ?? null,
      timeoutSeconds: sent.timeout ?? null,
    };
  }

  async signIn(args: {
    session: string;
    phone: string;
    phoneCodeHash: string;
    code: string;
  }): Promise<TelegramAuthResult> {
    const res = await this.call('auth.signIn', args.session, {
      phone_number: args.phone,
      phone_code_hash: args.phoneCodeHash,
      phone_code: args.code,
    });
    if (!res.ok) {
      if (res.message === 'SESSION_PASSWORD_NEEDED') return this.passwordNeeded(res.session);
      throw telegramRpcError(res.code, res.message);
    }
    if (isObject(res.body) && res.body['_'] === 'auth.authorizationSignUpRequired') {
      throw telegramRpcError(400, 'PHONE_NUMBER_UNOCCUPIED');
    }
    return {
      kind: 'authorized',
      session: res.session,
      user: toUser(parse(AuthorizationSchema, res.body).user),
    };
  }

  async checkPassword(args: {
    session: string;
    password: string;
  }): Promise<Extract<TelegramAuthResult, { kind: 'authorized' }>> {
    const challenge = await this.getPassword(args.session);
    const algo = challenge.current_algo;
    if (!challenge.has_password || !algo || !challenge.srp_B || !challenge.srp_id) {
      throw new PlugboardError(
        'FLOW_STEP_INVALID',
        'This Telegram account has no password to check.',
      );
    }
    const { Api, computeCheck, returnBigInt } = await srp();
    const bytes = (value: string) => Buffer.from(value, 'base64url');
    const check = await computeCheck(
      new Api.account.Password({
        hasPassword: true,
        hasRecovery: false,
        hint: challenge.hint ?? undefined,
        currentAlgo: new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
          salt1: bytes(algo.salt1),
          salt2: bytes(algo.salt2),
          g: algo.g,
          p: bytes(algo.p),
        }),
        srp_B: bytes(challenge.srp_B),
        srpId: returnBigInt(challenge.srp_id),
        newAlgo: new Api.PasswordKdfAlgoUnknown(),
        newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
        secureRandom: Buffer.alloc(0),
      }),
      args.password,
    );
    const res = await this.call('auth.checkPassword', args.session, {
      password: {
        _: 'inputCheckPasswordSRP',
        srp_id: check.srpId.toString(),
        A: Buffer.from(check.A).toString('base64url'),
        M1: Buffer.from(check.M1).toString('base64url'),
      },
    });
    if (!res.ok) throw telegramRpcError(res.code, res.message);
    return {
      kind: 'authorized',
      session: res.session,
      user: toUser(parse(AuthorizationSchema, res.body).user),
    };
  }

  async exportLoginToken(args: {
    session?: string | undefined;
  }): Promise<TelegramLoginTokenResult> {
    const res = await this.call('auth.exportLoginToken', args.session, {
      ...this.app(),
      except_ids: [],
    });
    if (!res.ok) {
      if (res.message === 'SESSION_PASSWORD_NEEDED') return this.passwordNeeded(res.session);
      throw telegramRpcError(res.code, res.message);
    }
    const answer = parse(LoginTokenSchema, res.body);
    if (answer._ === 'auth.loginTokenSuccess') {
      return { kind: 'authorized', session: res.session, user: toUser(answer.authorization.user) };
    }
    return {
      kind: 'token',
      session: res.session,
      token: Buffer.from(answer.token, 'base64url'),
      expiresAt: new Date(answer.expires * 1000),
    };
  }

  async getMe(args: { session: string }): Promise<TelegramUser> {
    const res = await this.call('users.getMe', args.session, {});
    if (!res.ok) throw telegramRpcError(res.code, res.message);
    return toUser(parse(UserSchema, res.body));
  }

  async logOut(args: { session: string }): Promise<void> {
    const res = await this.call('auth.logOut', args.session, {});
    if (!res.ok) throw telegramRpcError(res.code, res.message);
  }

  private app() {
    return { api_id: this.options.apiId, api_hash: this.options.apiHash };
  }

  private async passwordNeeded(session: string): Promise<TelegramAuthResult> {
    const challenge = await this.getPassword(session);
    return { kind: 'password_needed', session, hint: challenge.hint ?? null };
  }

  private async getPassword(session: string) {
    const res = await this.call('account.getPassword', session, {});
    if (!res.ok) throw telegramRpcError(res.code, res.message);
    return parse(PasswordSchema, res.body);
  }

  /** One method call; the session the mock answers with is the one to keep. */
  private async call(
    method: string,
    session: string | undefined,
    body: Record<string, unknown>,
  ): Promise<
    | { ok: true; body: unknown; session: string }
    | { ok: false; code: number; message: string; session: string }
  > {
    const res = await this.options.http.request('telegram', {
      method: 'POST',
      url: `${this.options.baseUrl}/${method}`,
      headers: session ? { [SESSION_HEADER]: session } : {},
      body: { json: body },
    });
    const next = res.headers.get(SESSION_HEADER) ?? session ?? '';
    if (res.status >= 200 && res.status < 300) {
      if (!next) throw new PlugboardError('PROVIDER_ERROR', 'Telegram did not start a session.');
      return { ok: true, body: res.body, session: next };
    }
    const error = RpcErrorSchema.safeParse(res.body);
    return error.success
      ? { ok: false, code: error.data.error_code, message: error.data.error_message, session: next }
      : { ok: false, code: res.status, message: `HTTP_${res.status}`, session: next };
  }
}

/**
 * gramjs's SRP and TL classes, imported on the first 2FA check: loading them pulls in gramjs's
 * whole TL schema (~40 MB of the server's memory), which only this step needs.
 */
async function srp() {
  const [{ returnBigInt }, { computeCheck }, { Api }] = await Promise.all([
    import('telegram/Helpers.js'),
    import('telegram/Password.js'),
    import('telegram/tl/index.js'),
  ]);
  return { Api, computeCheck, returnBigInt };
}

function toUser(u: z.infer<typeof UserSchema>): TelegramUser {
  return {
    id: u.id,
    firstName: u.first_name ?? null,
    lastName: u.last_name ?? null,
    username: u.username ?? null,
    phone: u.phone ?? null,
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new PlugboardError(
      'PROVIDER_ERROR',
      'Telegram answered in an unexpected shape. Try again.',
    );
  }
  return parsed.data;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
