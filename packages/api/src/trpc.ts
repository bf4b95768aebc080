import { ERROR_MESSAGES, ERROR_STATUS, PlugboardError, type ErrorCode } from '@plugboard/contracts';
import { authenticateBearer } from '@plugboard/core';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError } from 'zod';
import type { Context } from './context';
import { requireScope } from './scopes';

const TRPC_CODE_FOR_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
};

const APP_CODE_FOR_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  METHOD_NOT_SUPPORTED: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

export interface PlugboardErrorData {
  /** Stable machine code (see ERROR_MESSAGES in @plugboard/contracts). */
  code: ErrorCode;
  httpStatus: number;
  /**
   * Which input fields were wrong: for VALIDATION_FAILED, and for a provider input refused by
   * the provider's own check (`inputs.shop` for Shopify's INPUT_INVALID, `values.token` for a
   * refused API key).
   */
  issues?: { path: string; message: string }[];
  retryAfterSeconds?: number;
}

/**
 * The shape every error takes on the wire: a stable code, a message a person can act on, and
 * nothing else — no stack, no SQL, no provider response, no secret.
 */
const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof PlugboardError ? error.cause : null;
    const zod = error.cause instanceof ZodError ? error.cause : null;
    let code: ErrorCode;
    let message: string;
    let issues: PlugboardErrorData['issues'];
    if (app) {
      code = app.code;
      message = app.message;
      if (app.input) issues = [{ path: `inputs.${app.input}`, message }];
      else if (app.field) issues = [{ path: app.field, message }];
    } else if (zod) {
      code = 'VALIDATION_FAILED';
      issues = zod.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
      message = `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
    } else {
      code = APP_CODE_FOR_TRPC[error.code] ?? 'INTERNAL';
      // tRPC's own messages for these codes describe the request, not our internals.
      message =
        code === 'INTERNAL' ? ERROR_MESSAGES.INTERNAL : error.message || ERROR_MESSAGES[code];
    }
    const data: PlugboardErrorData = { code, httpStatus: shape.data.httpStatus };
    if (issues) data.issues = issues;
    if (app?.retryAfterSeconds) data.retryAfterSeconds = app.retryAfterSeconds;
    return { code: shape.code, message, data };
  },
});

/** Turns PlugboardErrors into TRPCErrors with the right HTTP status; the formatter does the rest. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof PlugboardError) {
    const cause = result.error.cause;
    throw new TRPCError({
      code: TRPC_CODE_FOR_STATUS[ERROR_STATUS[cause.code]] ?? 'INTERNAL_SERVER_ERROR',
      message: cause.message,
      cause,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapErrors);

/** Connect UI procedures: the end user's browser session (cookie). */
export const sessionProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new PlugboardError('UNAUTHENTICATED');
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/**
 * Server API procedures: a host-app backend with an API key or an API client's access token,
 * holding the scope scopes.ts names for this procedure. `apiKeyId` is the audit actor: the key's
 * id (`key_…`) or the client's (`cli_…`).
 */
export const apiKeyProcedure = publicProcedure.use(async ({ ctx, path, next }) => {
  const principal = await authenticateBearer(ctx.em, ctx.deps, ctx.apiKey);
  requireScope(principal, path);
  return next({ ctx: { ...ctx, principal, apiKeyId: principal.id } });
});
