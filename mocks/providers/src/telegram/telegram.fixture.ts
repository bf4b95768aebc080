import { computeCheck } from 'telegram/Password.js';
import { returnBigInt } from 'telegram/Helpers.js';
import { Api } from 'telegram/tl/index.js';
import { expect } from 'vitest';
import { useTestMock } from '../testing/harness';

/**
 * What the Telegram personality's tests share: the test app and accounts, the mock (started by
 * `useTestMock` when a test file imports this, so each file has its own), the MTProto-over-JSON
 * call helper, the phone's inbox, and the phone-code and SRP password steps (gramjs's own
 * computeCheck). Tests: telegram-login.test.ts, telegram-qr-sessions.test.ts.
 */
export const API = { api_id: 12345, api_hash: '0123456789abcdef0123456789abcdef' };
export const ADA = '+15550000001';
export const BABBAGE = '+15550000002';
export const BABBAGE_PASSWORD = 'hunter2';
export const SESSION = 'x-telegram-session';

export const mock = useTestMock();

export interface RpcResult {
  status: number;
  // Tests read fields they just asserted exist; `any` keeps them short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  session: string | null;
}

/** One MTProto method over the mock's HTTP emulation, optionally on an existing session. */
export async function call(
  method: string,
  body: unknown = {},
  session?: string,
): Promise<RpcResult> {
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

export function rpcError(code: number, message: string) {
  return { error_code: code, error_message: message };
}

export async function inbox(phone: string) {
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
export async function sendCode(phone: string) {
  const sent = await call('auth.sendCode', { phone_number: phone, ...API });
  expect(sent.status).toBe(200);
  expect(sent.session).toMatch(/^1[\w-]{40,}$/);
  const { messages } = await inbox(phone);
  const code = messages.at(-1)?.code ?? '';
  return { session: sent.session ?? '', hash: sent.body.phone_code_hash as string, code, sent };
}

export function signIn(session: string, phone: string, hash: string, code: string) {
  return call(
    'auth.signIn',
    { phone_number: phone, phone_code_hash: hash, phone_code: code },
    session,
  );
}

/** The client side of SRP, computed by gramjs itself from the mock's account.password. */
export async function passwordCheck(session: string, password: string) {
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

export const adaUser = {
  _: 'user',
  id: '100000001',
  self: true,
  first_name: 'Ada',
  last_name: 'Lovelace',
  username: 'ada',
  phone: '15550000001',
};
