import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TelegramAccount } from './accounts';
import { userObject } from './accounts';
import type { TelegramSession, TelegramState } from './state';

/**
 * The session string travels in this header, in and out: it stands for MTProto's auth key, which
 * is part of the transport rather than of any method's parameters.
 */
export const SESSION_HEADER = 'x-telegram-session';

/** gramjs's RPCError as JSON: `error_code` is the MTProto code (400, 401, 420, …). */
export function rpcError(reply: FastifyReply, code: number, message: string) {
  return reply.status(code).send({ error_code: code, error_message: message });
}

export function objectBody(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** TL `bytes` as JSON: base64url out; base64 or base64url in (Node decodes both). */
export function encodeBytes(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function decodeBytes(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/**
 * The request's session. `create`: a request without one gets a new session (gramjs's
 * `connect()` making an auth key); `existing`: it must bring one. An unknown session string
 * (logged out, or dropped by reset) is 401 AUTH_KEY_UNREGISTERED either way. Undefined means the
 * error has been sent.
 */
export function resolveSession(
  request: FastifyRequest,
  reply: FastifyReply,
  state: TelegramState,
  mode: 'create' | 'existing',
): TelegramSession | undefined {
  const header = request.headers[SESSION_HEADER];
  const id = typeof header === 'string' && header !== '' ? header : undefined;
  const session =
    id === undefined
      ? mode === 'create'
        ? state.createSession()
        : undefined
      : state.findSession(id);
  if (session === undefined) {
    rpcError(reply, 401, 'AUTH_KEY_UNREGISTERED');
    return undefined;
  }
  reply.header(SESSION_HEADER, session.id);
  return session;
}

/** `auth.authorization`, plus the session string to keep (what a StringSession would save). */
export function authorization(session: TelegramSession, account: TelegramAccount) {
  return { _: 'auth.authorization', user: userObject(account), session: session.id };
}

/** A random positive TL `long` (int64), as a decimal string: JSON numbers cannot hold int64. */
export function randomLong(): string {
  return (BigInt(`0x${randomBytes(8).toString('hex')}`) & ((1n << 63n) - 1n)).toString();
}
