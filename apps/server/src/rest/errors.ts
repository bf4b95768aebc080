import { appRouter } from '@plugboard/api';
import {
  ERROR_MESSAGES,
  ERROR_STATUS,
  type ErrorCode,
  type PlugboardError,
} from '@plugboard/contracts';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, type TRPCError } from '@trpc/server';
import type { FastifyReply } from 'fastify';

/**
 * The one error shape of `/v1` (REST and the proxy): `{ error: { code, message, issues? } }`,
 * with the HTTP status and stable code tRPC gives the same failure (ERROR_STATUS in
 * packages/contracts/src/errors.ts; the tRPC error formatter in packages/api/src/trpc.ts).
 */
export interface RestError {
  status: number;
  code: ErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
  retryAfterSeconds?: number;
}

/** `Retry-After` on a 429 or 503 whose cause named no wait (RFC 9110 §10.2.3). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** A REST error for a code, with its default message unless one is given. */
export function restError(
  code: ErrorCode,
  message: string = ERROR_MESSAGES[code],
  extra: Pick<RestError, 'issues' | 'retryAfterSeconds'> = {},
): RestError {
  return { status: ERROR_STATUS[code], code, message, ...extra };
}

/**
 * What a failed procedure call answers over REST: tRPC's own error shape for it (the router's
 * error formatter, so codes, messages and issues are exactly those of /trpc).
 */
export function restErrorFromProcedure(
  cause: unknown,
  opts: { path: string; input: unknown; ctx: unknown; type: 'query' | 'mutation' },
): RestError {
  const error: TRPCError = getTRPCErrorFromUnknown(cause);
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error,
    type: opts.type,
    path: opts.path,
    input: opts.input,
    ctx: opts.ctx as never,
  });
  const { data, message } = shape;
  return {
    status: data.httpStatus,
    code: data.code,
    message,
    ...(data.issues ? { issues: data.issues } : {}),
    ...(data.retryAfterSeconds ? { retryAfterSeconds: data.retryAfterSeconds } : {}),
  };
}

/** A PlugboardError thrown outside a procedure (the idempotency check, the proxy). */
export function restErrorFromPlugboard(e: PlugboardError): RestError {
  const field = e.input ? `inputs.${e.input}` : e.field;
  return restError(e.code, e.message, {
    ...(field ? { issues: [{ path: field, message: e.message }] } : {}),
    ...(e.retryAfterSeconds ? { retryAfterSeconds: e.retryAfterSeconds } : {}),
  });
}

export function sendRestError(reply: FastifyReply, err: RestError): FastifyReply {
  if (err.status === 429 || err.status === 503) {
    reply.header('retry-after', String(err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  }
  return reply
    .code(err.status)
    .header('cache-control', 'no-store')
    .send({
      error: {
        code: err.code,
        message: err.message,
        ...(err.issues ? { issues: err.issues } : {}),
      },
    });
}
