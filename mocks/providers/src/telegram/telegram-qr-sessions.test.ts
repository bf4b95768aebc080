import { describe, expect, it } from 'vitest';
import {
  API,
  ADA,
  BABBAGE,
  BABBAGE_PASSWORD,
  mock,
  call,
  rpcError,
  sendCode,
  signIn,
  passwordCheck,
  adaUser,
} from './telegram.fixture';

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
