import { computeCheck } from 'telegram/Password.js';
import { returnBigInt } from 'telegram/Helpers.js';
import { Api } from 'telegram/tl/index.js';
import { describe, expect, it } from 'vitest';
import { useTestMock } from '../testing/harness';

const API = { api_id: 12345, api_hash: '0123456789abcdef0123456789abcdef' };
const ADA = '+15550000001';
const BABBAGE = '+15550000002';
const BABBAGE_PASSWORD = 'hunter2';
const SESSION = 'x-telegram-session';

const mock = useTestMock();

interface RpcResult {
  status: number;
  // Tests read fields they just asserted exist; `any` keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  session: string | null;
}

/** One MTProto method over the mock's HTTP emulation, optionally on an existing session. */
async function call(method: string, body: unknown = {}, session?: string): Promise<RpcResult> {
  const response = await fetch(`${mock.url}/telegram/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(session === undefined ? {} : { [SESSION]: session }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: await response.json(),
    session: response.headers.get(SESSION),
  };
}

function rpcError(code: number, message: string) {
  return { error_code: code, error_message: message };
}

async function inbox(phone: string) {
  const response = await mock.control.call(
    'GET',
    `/telegram/inbox?phone=${encodeURIComponent(phone)}`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    phone: string;
    messages: { code: string; used: boolean; expired: boolean }[];
  };
}

/** sendCode on a new session; returns the session, the hash and the code the phone received. */
async function sendCode(phone: string) {
  const sent = await call('auth.sendCode', { phone_number: phone, ...API });
  expect(sent.status).toBe(200);
  expect(sent.session).toMatch(/^1[\w-]{40,}$/);
  const { messages } = await inbox(phone);
  const code = messages.at(-1)?.code ?? '';
  return { session: sent.session ?? '', hash: sent.body.phone_code_hash as string, code, sent };
}

function signIn(session: string, phone: string, hash: string, code: string) {
  return call(
    'auth.signIn',
    { phone_number: phone, phone_code_hash: hash, phone_code: code },
    session,
  );
}

/** The client side of SRP, computed by gramjs itself from the mock's account.password. */
async function passwordCheck(session: string, password: string) {
  const result = await call('account.getPassword', {}, session);
  expect(result.status).toBe(200);
  const json = result.body;
  const bytes = (value: string) => Buffer.from(value, 'base64url');
  const request = new Api.account.Password({
    hasPassword: json.has_password,
    hasRecovery: json.has_recovery,
    hint: json.hint,
    currentAlgo: new Api.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow({
      salt1: bytes(json.current_algo.salt1),
      salt2: bytes(json.current_algo.salt2),
      g: json.current_algo.g,
      p: bytes(json.current_algo.p),
    }),
    srp_B: bytes(json.srp_B),
    srpId: returnBigInt(json.srp_id),
    newAlgo: new Api.PasswordKdfAlgoUnknown(),
    newSecureAlgo: new Api.SecurePasswordKdfAlgoUnknown(),
    secureRandom: Buffer.alloc(0),
  });
  const check = await computeCheck(request, password);
  return {
    _: 'inputCheckPasswordSRP',
    srp_id: check.srpId.toString(),
    A: Buffer.from(check.A).toString('base64url'),
    M1: Buffer.from(check.M1).toString('base64url'),
  };
}

const adaUser = {
  _: 'user',
  id: '100000001',
  self: true,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
  phone: '15550000001',
};

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

describe('telegram QR login', () => {
  async function exportToken(session?: string) {
    return call('auth.exportLoginToken', { ...API, except_ids: [] }, session);
  }

  function approve(token: string, phone: string) {
    return mock.control.call('POST', '/telegram/qr/approve', { token, phone });
  }

  it('re-issues an expired token, then logs in once it is approved', async () => {
    const first = await exportToken();
    expect(first.status).toBe(200);
    const session = first.session ?? '';
    const clock = (await (await mock.control.call('GET', '/clock')).json()) as { now: string };
    const now = Math.floor(Date.parse(clock.now) / 1000);
    expect(first.body).toEqual({
      _: 'auth.loginToken',
      expires: expect.any(Number),
      token: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(first.body.expires - now).toBeGreaterThanOrEqual(29);
    expect(first.body.expires - now).toBeLessThanOrEqual(31);
    // While it lives, exporting again shows the same token.
    expect((await exportToken(session)).body.token).toBe(first.body.token);
    const listed = (await (await mock.control.call('GET', '/telegram/qr')).json()) as {
      tokens: { token: string }[];
    };
    expect(listed.tokens.map((t) => t.token)).toEqual([first.body.token]);

    await mock.control.advanceClock(31);
    const late = await approve(first.body.token, ADA);
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: 'token_expired' });
    const second = await exportToken(session);
    expect(second.body._).toBe('auth.loginToken');
    expect(second.body.token).not.toBe(first.body.token);

    expect((await approve(second.body.token, ADA)).status).toBe(200);
    expect((await approve(second.body.token, ADA)).status).toBe(409);
    const success = await exportToken(session);
    expect(success.body).toEqual({
      _: 'auth.loginTokenSuccess',
      authorization: { _: 'auth.authorization', user: adaUser, session },
    });
    expect((await call('users.getMe', {}, session)).body).toEqual(adaUser);
  });

  it('asks for the 2FA password when a 2FA account approves', async () => {
    const exported = await exportToken();
    const session = exported.session ?? '';
    expect((await approve(exported.body.token, BABBAGE)).status).toBe(200);
    const result = await exportToken(session);
    expect(result).toMatchObject({ status: 401, body: rpcError(401, 'SESSION_PASSWORD_NEEDED') });
    const password = await passwordCheck(session, BABBAGE_PASSWORD);
    const done = await call('auth.checkPassword', { password }, session);
    expect(done.body).toMatchObject({ user: { id: '100000002' } });
  });

  it('lets a logged-in session approve with auth.acceptLoginToken', async () => {
    const { session: phone, hash, code } = await sendCode(ADA);
    expect((await signIn(phone, ADA, hash, code)).status).toBe(200);

    const desktop = await exportToken();
    const accepted = await call('auth.acceptLoginToken', { token: desktop.body.token }, phone);
    expect(accepted.body).toMatchObject({ _: 'authorization', api_id: API.api_id });
    const again = await call('auth.acceptLoginToken', { token: desktop.body.token }, phone);
    expect(again.body).toEqual(rpcError(400, 'AUTH_TOKEN_ALREADY_ACCEPTED'));
    const unknown = await call('auth.acceptLoginToken', { token: 'bm9wZQ' }, phone);
    expect(unknown.body).toEqual(rpcError(400, 'AUTH_TOKEN_INVALID'));

    const success = await exportToken(desktop.session ?? '');
    expect(success.body._).toBe('auth.loginTokenSuccess');
  });

  it('lists the token on the scan page and approves it from there', async () => {
    const exported = await exportToken();
    const page = await (await fetch(`${mock.url}/telegram/scan`)).text();
    expect(page).toContain('Approve login');
    expect(page).toContain(exported.body.token);

    const form = new URLSearchParams({ token: exported.body.token, phone: '15550000001' });
    const posted = await fetch(`${mock.url}/telegram/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const confirmation = await (
      await fetch(new URL(posted.headers.get('location') ?? '', mock.url))
    ).text();
    expect(confirmation).toContain('Login approved as Ada Lovelace');
    expect((await exportToken(exported.session ?? '')).body._).toBe('auth.loginTokenSuccess');
  });
});

describe('telegram sessions and faults', () => {
  async function loggedInSession() {
    const { session, hash, code } = await sendCode(ADA);
    expect((await signIn(session, ADA, hash, code)).status).toBe(200);
    return session;
  }

  it('answers FLOOD_WAIT_<n> for an injected rate limit, once', async () => {
    await mock.control.fault({
      provider: 'telegram',
      endpoint: 'auth.sendCode',
      kind: 'rate_limit',
      retryAfterSeconds: 30,
    });
    const limited = await call('auth.sendCode', { phone_number: ADA, ...API });
    expect(limited).toMatchObject({ status: 420, body: rpcError(420, 'FLOOD_WAIT_30') });
    expect((await call('auth.sendCode', { phone_number: ADA, ...API })).status).toBe(200);
  });

  it('logs out: the session string stops working', async () => {
    const session = await loggedInSession();
    const out = await call('auth.logOut', {}, session);
    expect(out.body).toEqual({ _: 'auth.loggedOut' });
    for (const method of ['users.getMe', 'updates.getState', 'auth.logOut']) {
      const after = await call(method, {}, session);
      expect(after).toMatchObject({ status: 401, body: rpcError(401, 'AUTH_KEY_UNREGISTERED') });
    }
  });

  it('needs a known session for account calls', async () => {
    expect((await call('users.getMe')).body).toEqual(rpcError(401, 'AUTH_KEY_UNREGISTERED'));
    expect((await call('updates.getState', {}, '1made-up')).body).toEqual(
      rpcError(401, 'AUTH_KEY_UNREGISTERED'),
    );
    const anonymous = (await call('auth.sendCode', { phone_number: ADA, ...API })).session ?? '';
    expect((await call('updates.getState', {}, anonymous)).status).toBe(401);
    const session = await loggedInSession();
    await mock.control.reset();
    expect((await call('users.getMe', {}, session)).status).toBe(401);
  });

  it('logs method names and never a code, hash or session', async () => {
    const session = await loggedInSession();
    await fetch(`${mock.url}/telegram/phone?phone=%2B15550000001`);
    const log = await mock.control.requests({ provider: 'telegram' });
    expect(log.map((r) => [r.endpoint, r.path, r.status])).toEqual([
      ['auth.sendCode', '/telegram/auth.sendCode', 200],
      ['auth.signIn', '/telegram/auth.signIn', 200],
      ['phone', '/telegram/phone', 200],
    ]);
    expect(JSON.stringify(log)).not.toContain(session);
  });

  it('rejects bad control calls', async () => {
    const badPhone = await mock.control.call('GET', '/telegram/inbox?phone=abc');
    expect(badPhone.status).toBe(400);
    const unknownToken = await mock.control.call('POST', '/telegram/qr/approve', {
      token: 'nope',
      phone: ADA,
    });
    expect(unknownToken.status).toBe(404);
    const unknownPhone = await mock.control.call('POST', '/telegram/qr/approve', {
      token: 'nope',
      phone: '+15559999999',
    });
    expect(unknownPhone.status).toBe(400);
  });
});
