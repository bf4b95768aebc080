import { describe, expect, it } from 'vitest';
import {
  API,
  ADA,
  BABBAGE,
  BABBAGE_PASSWORD,
  mock,
  call,
  rpcError,
  inbox,
  sendCode,
  signIn,
  passwordCheck,
  adaUser,
} from './telegram.fixture';

describe('telegram phone-code login', () => {
  it('sends a code to the phone and signs in with it', async () => {
    const { session, hash, code, sent } = await sendCode(ADA);
    expect(sent.body).toEqual({
      _: 'auth.sentCode',
      type: { _: 'auth.sentCodeTypeApp', length: 5 },
      phone_code_hash: hash,
      timeout: 300,
    });
    expect(code).toMatch(/^\d{5}$/);

    const signedIn = await signIn(session, ADA, hash, code);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({ _: 'auth.authorization', user: adaUser, session });

    const me = await call('users.getMe', {}, session);
    expect(me).toMatchObject({ status: 200, body: adaUser });
    const state = await call('updates.getState', {}, session);
    expect(state.body).toMatchObject({ _: 'updates.state', pts: expect.any(Number) });

    expect((await inbox(ADA)).messages).toEqual([
      expect.objectContaining({ code, used: true, expired: false }),
    ]);
  });

  it('rejects a wrong code and still accepts the right one afterwards', async () => {
    const { session, hash, code } = await sendCode(ADA);
    const wrong = code === '00000' ? '11111' : '00000';
    const failed = await signIn(session, ADA, hash, wrong);
    expect(failed).toMatchObject({ status: 400, body: rpcError(400, 'PHONE_CODE_INVALID') });
    expect((await signIn(session, ADA, hash, code)).status).toBe(200);
    // A code works once.
    const again = await signIn(session, ADA, hash, code);
    expect(again.body).toEqual(rpcError(400, 'PHONE_CODE_EXPIRED'));
  });

  it('expires a code after five minutes on the mock clock', async () => {
    const { session, hash, code } = await sendCode(ADA);
    await mock.control.advanceClock(301);
    const late = await signIn(session, ADA, hash, code);
    expect(late).toMatchObject({ status: 400, body: rpcError(400, 'PHONE_CODE_EXPIRED') });
    expect((await inbox(ADA)).messages[0]).toMatchObject({ used: false, expired: true });
  });

  it('answers malformed sign-ins with the MTProto errors', async () => {
    const { session, hash, code } = await sendCode(ADA);
    expect((await signIn(session, ADA, hash, '')).body).toEqual(rpcError(400, 'PHONE_CODE_EMPTY'));
    expect((await signIn(session, 'not a phone', hash, code)).body).toEqual(
      rpcError(400, 'PHONE_NUMBER_INVALID'),
    );
    expect((await signIn(session, BABBAGE, hash, code)).body).toEqual(
      rpcError(400, 'PHONE_CODE_EXPIRED'),
    );
    const badPhone = await call('auth.sendCode', { phone_number: '12', ...API });
    expect(badPhone).toMatchObject({ status: 400, body: rpcError(400, 'PHONE_NUMBER_INVALID') });
    const noApi = await call('auth.sendCode', { phone_number: ADA, api_id: '1', api_hash: 'x' });
    expect(noApi.body).toEqual(rpcError(400, 'API_ID_INVALID'));
  });

  it('checks api_hash when the api_id is registered as a client', async () => {
    await mock.control.registerClient({
      provider: 'telegram',
      clientId: String(API.api_id),
      clientSecret: API.api_hash,
      redirectUris: [],
    });
    const wrong = await call('auth.sendCode', {
      phone_number: ADA,
      ...API,
      api_hash: 'f'.repeat(32),
    });
    expect(wrong.body).toEqual(rpcError(400, 'API_ID_INVALID'));
    expect((await call('auth.sendCode', { phone_number: ADA, ...API })).status).toBe(200);
  });

  it('asks an unknown number to sign up', async () => {
    const { session, hash, code } = await sendCode('+15559999999');
    const result = await signIn(session, '+15559999999', hash, code);
    expect(result.body).toEqual({ _: 'auth.authorizationSignUpRequired' });
  });

  it('shows the codes on the phone page', async () => {
    const { code } = await sendCode(ADA);
    // A `+` in a query string is a space: the page copes, as people type it that way.
    const response = await fetch(`${mock.url}/telegram/phone?phone=+15550000001`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Telegram');
    expect(html).toContain('#2AABEE');
    expect(html).toContain(code);
    expect(html).toContain('Ada Lovelace');
  });
});

describe('telegram 2FA', () => {
  async function codeStep() {
    const { session, hash, code } = await sendCode(BABBAGE);
    const result = await signIn(session, BABBAGE, hash, code);
    expect(result).toMatchObject({ status: 401, body: rpcError(401, 'SESSION_PASSWORD_NEEDED') });
    return session;
  }

  it('needs the password after the code, and accepts gramjs computeCheck with it', async () => {
    const session = await codeStep();
    // Half-logged-in: nothing else works yet.
    expect((await call('users.getMe', {}, session)).body).toEqual(
      rpcError(401, 'SESSION_PASSWORD_NEEDED'),
    );

    const info = await call('account.getPassword', {}, session);
    expect(info.body).toMatchObject({
      _: 'account.password',
      has_password: true,
      hint: 'the usual',
      current_algo: {
        _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow',
        g: 3,
        salt1: expect.any(String),
        salt2: expect.any(String),
        p: expect.any(String),
      },
      srp_B: expect.any(String),
      srp_id: expect.stringMatching(/^\d+$/),
    });
    expect(Buffer.from(info.body.current_algo.p, 'base64url')).toHaveLength(256);

    const password = await passwordCheck(session, BABBAGE_PASSWORD);
    const result = await call('auth.checkPassword', { password }, session);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      _: 'auth.authorization',
      user: { id: '100000002', first_name: 'Charles', username: 'babbage' },
      session,
    });
    expect((await call('users.getMe', {}, session)).body).toMatchObject({ username: 'babbage' });
  });

  it('rejects a wrong password, and an srp_id used twice', async () => {
    const session = await codeStep();
    const password = await passwordCheck(session, 'not the password');
    const wrong = await call('auth.checkPassword', { password }, session);
    expect(wrong).toMatchObject({ status: 400, body: rpcError(400, 'PASSWORD_HASH_INVALID') });
    const replay = await call('auth.checkPassword', { password }, session);
    expect(replay.body).toEqual(rpcError(400, 'SRP_ID_INVALID'));

    const right = await passwordCheck(session, BABBAGE_PASSWORD);
    expect((await call('auth.checkPassword', { password: right }, session)).status).toBe(200);
  });

  it('gives a default-account password set through the control API the same treatment', async () => {
    await mock.control.setAccount('telegram', { password: 'swordfish', passwordHint: 'fish' });
    const { session, hash, code } = await sendCode(ADA);
    expect((await signIn(session, ADA, hash, code)).body).toEqual(
      rpcError(401, 'SESSION_PASSWORD_NEEDED'),
    );
    const password = await passwordCheck(session, 'swordfish');
    const result = await call('auth.checkPassword', { password }, session);
    expect(result.body).toMatchObject({ _: 'auth.authorization', user: { id: '100000001' } });
  });
});
