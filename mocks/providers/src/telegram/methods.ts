import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { AccountDirectory, TelegramAccount } from './accounts';
import { normalizePhone, userObject } from './accounts';
import {
  authorization,
  decodeBytes,
  encodeBytes,
  objectBody,
  randomLong,
  resolveSession,
  rpcError,
} from './rpc';
import { SRP_G, SRP_P } from './srp';
import { CODE_TTL_SECONDS } from './state';
import type { TelegramSession, TelegramState } from './state';

export interface TelegramDeps {
  ctx: ProviderContext<TelegramAccount>;
  state: TelegramState;
  accounts: AccountDirectory;
}

/**
 * `api_id` (a TL int, so a JSON number) and `api_hash`. Any well-formed pair is accepted, unless
 * a client is registered for provider `telegram` with clientId = the api_id: then the api_hash
 * must be its clientSecret, so a test can check the server sends its configured app credentials.
 */
function apiCredentialsValid(deps: TelegramDeps, body: Record<string, unknown>): boolean {
  const apiId = body['api_id'];
  const apiHash = body['api_hash'];
  if (typeof apiId !== 'number' || !Number.isSafeInteger(apiId) || apiId <= 0) return false;
  if (typeof apiHash !== 'string' || apiHash === '') return false;
  const registered = deps.ctx.findClient(String(apiId));
  return registered === undefined || safeEqual(registered.clientSecret, apiHash);
}

/** The logged-in account of a session; undefined means the 401 has been sent. */
function loggedIn(
  deps: TelegramDeps,
  session: TelegramSession,
  reply: FastifyReply,
): TelegramAccount | undefined {
  const { status } = session;
  if (status.kind === 'password_needed') {
    // Until the password is checked, MTProto answers every API call this way.
    rpcError(reply, 401, 'SESSION_PASSWORD_NEEDED');
    return undefined;
  }
  const account = status.kind === 'authorized' ? deps.accounts.byId(status.userId) : undefined;
  if (account === undefined) rpcError(reply, 401, 'AUTH_KEY_UNREGISTERED');
  return account;
}

/**
 * Logs the session in as `account`, or leaves it waiting for the 2FA password (401
 * SESSION_PASSWORD_NEEDED, as auth.signIn and auth.exportLoginToken answer for 2FA accounts).
 */
function completeLogin(
  session: TelegramSession,
  account: TelegramAccount,
  reply: FastifyReply,
): boolean {
  if (account.password !== null) {
    session.status = { kind: 'password_needed', userId: account.userId };
    rpcError(reply, 401, 'SESSION_PASSWORD_NEEDED');
    return false;
  }
  session.status = { kind: 'authorized', userId: account.userId };
  return true;
}

type Handler = (
  request: FastifyRequest,
  reply: FastifyReply,
  body: Record<string, unknown>,
) => unknown;

/** The MTProto methods gramjs's login uses, each at `POST /telegram/<method name>`. */
export function registerMethodRoutes(router: ProviderRouter, deps: TelegramDeps): void {
  const { ctx, state, accounts } = deps;
  const method = (name: string, handler: Handler) =>
    router.route({
      method: 'POST',
      path: `/${name}`,
      endpoint: name,
      handler: (request, reply) => handler(request, reply, objectBody(request.body)),
    });

  method('auth.sendCode', async (request, reply, body) => {
    const session = resolveSession(request, reply, state, 'create');
    if (session === undefined) return reply;
    const phone = normalizePhone(body['phone_number']);
    if (phone === undefined) return rpcError(reply, 400, 'PHONE_NUMBER_INVALID');
    if (!apiCredentialsValid(deps, body)) return rpcError(reply, 400, 'API_ID_INVALID');
    // Any valid number gets a code, as on Telegram (an unknown one then needs sign-up).
    const sent = state.sendCode(phone);
    return {
      _: 'auth.sentCode',
      // "App": the code arrives as a Telegram message, which the phone page shows.
      type: { _: 'auth.sentCodeTypeApp', length: sent.code.length },
      phone_code_hash: sent.phoneCodeHash,
      // Telegram's `timeout` says when next_type may be tried; with no next_type here it is
      // the code's lifetime.
      timeout: CODE_TTL_SECONDS,
    };
  });

  method('auth.signIn', async (request, reply, body) => {
    const session = resolveSession(request, reply, state, 'create');
    if (session === undefined) return reply;
    const phone = normalizePhone(body['phone_number']);
    if (phone === undefined) return rpcError(reply, 400, 'PHONE_NUMBER_INVALID');
    const hash = body['phone_code_hash'];
    if (typeof hash !== 'string' || hash === '') {
      return rpcError(reply, 400, 'PHONE_CODE_HASH_EMPTY');
    }
    const code = body['phone_code'];
    if (typeof code !== 'string' || code.trim() === '') {
      return rpcError(reply, 400, 'PHONE_CODE_EMPTY');
    }
    const sent = state.findCode(hash);
    // An unknown hash, one for another number, a used code or an old one: all "expired" — the
    // client has to send a new code in each case.
    if (
      sent === undefined ||
      sent.phone !== phone ||
      sent.used ||
      state.isExpired(sent.expiresAt)
    ) {
      return rpcError(reply, 400, 'PHONE_CODE_EXPIRED');
    }
    // Wrong guesses do not burn the code: a person may mistype.
    if (!safeEqual(code.trim(), sent.code)) return rpcError(reply, 400, 'PHONE_CODE_INVALID');
    sent.used = true;
    const account = accounts.byPhone(phone);
    if (account === undefined) {
      return { _: 'auth.authorizationSignUpRequired' };
    }
    if (!completeLogin(session, account, reply)) return reply;
    return authorization(session, account);
  });

  method('account.getPassword', async (request, reply) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    const { status } = session;
    const account = status.kind === 'anonymous' ? undefined : accounts.byId(status.userId);
    if (account === undefined) return rpcError(reply, 401, 'AUTH_KEY_UNREGISTERED');
    const { password } = account;
    if (password === null) {
      return { _: 'account.password', has_password: false, has_recovery: false };
    }
    const { verifier, challenge, srpId } = await state.startPasswordCheck(session, {
      ...account,
      password,
    });
    return {
      _: 'account.password',
      has_password: true,
      has_recovery: false,
      hint: account.passwordHint,
      current_algo: {
        _: 'passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow',
        salt1: encodeBytes(verifier.salt1),
        salt2: encodeBytes(verifier.salt2),
        g: SRP_G,
        p: encodeBytes(SRP_P),
      },
      srp_B: encodeBytes(challenge.B),
      srp_id: srpId,
    };
  });

  method('auth.checkPassword', async (request, reply, body) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    const input = objectBody(body['password']);
    const rawSrpId = input['srp_id'];
    // srp_id is an int64: a decimal string (a JSON number only while it is exact).
    const srpId =
      typeof rawSrpId === 'string' && /^\d+$/.test(rawSrpId)
        ? rawSrpId
        : typeof rawSrpId === 'number' && Number.isSafeInteger(rawSrpId)
          ? String(rawSrpId)
          : undefined;
    if (srpId === undefined) return rpcError(reply, 400, 'SRP_ID_INVALID');
    const A = decodeBytes(input['A']);
    const M1 = decodeBytes(input['M1']);
    if (A === undefined || M1 === undefined) return rpcError(reply, 400, 'PASSWORD_HASH_INVALID');
    const result = await state.checkPassword(session, srpId, (id) => accounts.byId(id), A, M1);
    if (!result.ok) {
      return rpcError(
        reply,
        400,
        result.reason === 'srp_id_invalid' ? 'SRP_ID_INVALID' : 'PASSWORD_HASH_INVALID',
      );
    }
    const account = accounts.byId(result.userId);
    if (account === undefined) return rpcError(reply, 401, 'AUTH_KEY_UNREGISTERED');
    session.status = { kind: 'authorized', userId: account.userId };
    return authorization(session, account);
  });

  method('auth.exportLoginToken', async (request, reply, body) => {
    const session = resolveSession(request, reply, state, 'create');
    if (session === undefined) return reply;
    if (!apiCredentialsValid(deps, body)) return rpcError(reply, 400, 'API_ID_INVALID');
    const exceptIds = body['except_ids'];
    if (exceptIds !== undefined && !Array.isArray(exceptIds)) {
      return rpcError(reply, 400, 'INPUT_REQUEST_INVALID');
    }
    const accepted = state.takeAcceptedLoginToken(session);
    if (accepted?.acceptedBy !== undefined) {
      const account = accounts.byId(accepted.acceptedBy);
      if (account === undefined) return rpcError(reply, 400, 'AUTH_TOKEN_INVALID');
      if (!completeLogin(session, account, reply)) return reply;
      return { _: 'auth.loginTokenSuccess', authorization: authorization(session, account) };
    }
    const token = state.currentLoginToken(session, body['api_id'] as number);
    return {
      _: 'auth.loginToken',
      expires: Math.floor(token.expiresAt / 1000),
      token: token.token,
    };
  });

  method('auth.acceptLoginToken', async (request, reply, body) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    const account = loggedIn(deps, session, reply);
    if (account === undefined) return reply;
    const token = body['token'];
    const result =
      typeof token === 'string'
        ? state.approveLoginToken(token, account.userId)
        : ({ ok: false, reason: 'unknown' } as const);
    if (!result.ok) {
      const message = {
        unknown: 'AUTH_TOKEN_INVALID',
        expired: 'AUTH_TOKEN_EXPIRED',
        already_accepted: 'AUTH_TOKEN_ALREADY_ACCEPTED',
      }[result.reason];
      return rpcError(reply, 400, message);
    }
    // The `authorization` constructor: the new login, as the approving device lists it.
    return {
      _: 'authorization',
      hash: randomLong(),
      api_id: result.token.apiId,
      date_created: ctx.clock.nowSeconds(),
    };
  });

  method('auth.logOut', async (request, reply) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    if (session.status.kind === 'anonymous') return rpcError(reply, 401, 'AUTH_KEY_UNREGISTERED');
    state.destroySession(session.id);
    return { _: 'auth.loggedOut' };
  });

  // Not an MTProto method: gramjs's `client.getMe()` (users.getUsers([inputUserSelf])[0]).
  method('users.getMe', async (request, reply) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    const account = loggedIn(deps, session, reply);
    return account === undefined ? reply : userObject(account);
  });

  // What gramjs's `checkAuthorization()` calls: any answer but an error means "logged in".
  method('updates.getState', async (request, reply) => {
    const session = resolveSession(request, reply, state, 'existing');
    if (session === undefined) return reply;
    const account = loggedIn(deps, session, reply);
    if (account === undefined) return reply;
    return {
      _: 'updates.state',
      pts: 1,
      qts: 0,
      date: ctx.clock.nowSeconds(),
      seq: 0,
      unread_count: 0,
    };
  });
}
