import { PlugboardError } from '@plugboard/contracts';
import { returnBigInt } from 'telegram/Helpers.js';
import { FloodWaitError, RPCError } from 'telegram/errors/index.js';
import { Api } from 'telegram/tl/index.js';
import { describe, expect, it } from 'vitest';
import { telegramRpcError } from './gateway';
import { GramjsTelegramGateway, type MtprotoClient } from './gramjs-gateway';

/**
 * The live adapter cannot reach Telegram here, so it runs against a fake MTProto client: what
 * it sends (low-level `Api.auth.*` requests) and how it reads answers and errors.
 */
function fakeClient(answer: (request: Api.AnyRequest) => unknown) {
  const sent: string[] = [];
  let destroyed = 0;
  const client: MtprotoClient = {
    connect: async () => undefined,
    invoke: async (request) => {
      sent.push(request.className);
      const result = answer(request);
      if (result instanceof Error) throw result;
      return result as never;
    },
    switchDc: async () => undefined,
    saveSession: () => '1session-after',
    destroy: async () => {
      destroyed += 1;
    },
  };
  return { client, sent, destroyed: () => destroyed };
}

const ada = new Api.User({
  id: returnBigInt('100000001'),
  firstName: 'Ada',
  lastName: 'Lovelace',
  username: 'ada',
  phone: '15550000001',
});

const gateway = (client: MtprotoClient) =>
  new GramjsTelegramGateway({ apiId: 1, apiHash: 'h', createClient: () => client });

describe('gramjs gateway', () => {
  it('sends a code and reads the sent-code answer', async () => {
    const fake = fakeClient(
      () =>
        new Api.auth.SentCode({
          type: new Api.auth.SentCodeTypeApp({ length: 5 }),
          phoneCodeHash: 'hash',
          timeout: 120,
        }),
    );
    expect(await gateway(fake.client).sendCode({ phone: '+15550000001' })).toEqual({
      session: '1session-after',
      phoneCodeHash: 'hash',
      codeLength: 5,
      timeoutSeconds: 120,
    });
    expect(fake.sent).toEqual(['auth.SendCode']);
    expect(fake.destroyed()).toBe(1);
  });

  it('signs in, or reports the 2FA hint on SESSION_PASSWORD_NEEDED', async () => {
    const ok = fakeClient(() => new Api.auth.Authorization({ user: ada }));
    expect(
      await gateway(ok.client).signIn({ session: 's', phone: 'p', phoneCodeHash: 'h', code: '1' }),
    ).toEqual({
      kind: 'authorized',
      session: '1session-after',
      user: {
        id: '100000001',
        firstName: 'Ada',
        lastName: 'Lovelace',
        username: 'ada',
        phone: '15550000001',
      },
    });
    const twoFa = fakeClient((request) =>
      request instanceof Api.auth.SignIn
        ? new RPCError('SESSION_PASSWORD_NEEDED', request, 401)
        : new Api.account.Password({
            hint: 'the usual',
            newAlgo: new Api.PasswordKdfAlgoUnknown(),
            newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
            secureRandom: Buffer.alloc(0),
          }),
    );
    expect(
      await gateway(twoFa.client).signIn({
        session: 's',
        phone: 'p',
        phoneCodeHash: 'h',
        code: '1',
      }),
    ).toEqual({ kind: 'password_needed', session: '1session-after', hint: 'the usual' });
    expect(twoFa.sent).toEqual(['auth.SignIn', 'account.GetPassword']);
  });

  it('maps RPC errors, flood waits and network failures to Plugboard codes', async () => {
    const codeOf = async (error: Error) => {
      const fake = fakeClient(() => error);
      const err = await gateway(fake.client)
        .signIn({ session: 's', phone: 'p', phoneCodeHash: 'h', code: '1' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlugboardError);
      expect(fake.destroyed()).toBe(1);
      return err as PlugboardError;
    };
    const request = new Api.auth.SignIn({ phoneNumber: 'p', phoneCodeHash: 'h', phoneCode: '1' });
    expect((await codeOf(new RPCError('PHONE_CODE_INVALID', request, 400))).code).toBe(
      'CODE_INVALID',
    );
    expect((await codeOf(new RPCError('PHONE_CODE_EXPIRED', request, 400))).code).toBe(
      'CODE_EXPIRED',
    );
    const flood = await codeOf(new FloodWaitError({ capture: 42, request }));
    expect(flood.code).toBe('FLOOD_WAIT');
    expect(flood.retryAfterSeconds).toBe(42);
    expect((await codeOf(new Error('socket hang up'))).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('exports a QR login token, or finishes the login once it was accepted', async () => {
    const waiting = fakeClient(
      () => new Api.auth.LoginToken({ expires: 1_800_000_000, token: Buffer.from([1, 2, 3]) }),
    );
    expect(await gateway(waiting.client).exportLoginToken({})).toEqual({
      kind: 'token',
      session: '1session-after',
      token: Buffer.from([1, 2, 3]),
      expiresAt: new Date(1_800_000_000_000),
    });
    const done = fakeClient(
      () =>
        new Api.auth.LoginTokenSuccess({
          authorization: new Api.auth.Authorization({ user: ada }),
        }),
    );
    expect(await gateway(done.client).exportLoginToken({ session: 's' })).toMatchObject({
      kind: 'authorized',
      user: { id: '100000001' },
    });
  });
});

describe('telegramRpcError', () => {
  it.each([
    [400, 'PHONE_CODE_EMPTY', 'CODE_INVALID'],
    [400, 'PASSWORD_HASH_INVALID', 'PASSWORD_INVALID'],
    [406, 'PHONE_NUMBER_INVALID', 'PHONE_INVALID'],
    [420, 'FLOOD_WAIT_30', 'FLOOD_WAIT'],
    [401, 'AUTH_KEY_UNREGISTERED', 'CONNECTION_NEEDS_REAUTH'],
    [500, 'INTERNAL', 'PROVIDER_UNAVAILABLE'],
    [400, 'SOMETHING_NEW', 'PROVIDER_ERROR'],
  ])('%i %s → %s', (code, message, expected) => {
    expect(telegramRpcError(code, message).code).toBe(expected);
  });
});
