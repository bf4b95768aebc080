import { appRouter, createCallerFactory, createContextInner, type Context } from '@plugboard/api';
import { errorSummary } from '@plugboard/core';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { RouteContext } from '../routes/context';
import { restError, restErrorFromProcedure, type RestError } from './errors';
import { procedureSchemas } from './openapi';
import { hasBody, pathParams, type RestRoute } from './routes';

const createCaller = createCallerFactory(appRouter);

export type CallResult =
  { ok: true; status: number; body: unknown } | { ok: false; error: RestError };

/** The bearer token of a request (the same parsing as the tRPC context, routes/trpc.ts). */
export function bearerOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() || undefined : undefined;
}

/** A request-scoped tRPC context for a REST call: a bearer token, never a session cookie. */
export function restContext(ctx: RouteContext, req: FastifyRequest): Context {
  const apiKey = bearerOf(req);
  return createContextInner({
    em: ctx.orm.em.fork(),
    deps: ctx.deps,
    ...(apiKey ? { apiKey } : {}),
    theme: ctx.theme,
  });
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Query strings are text; the input schema says which fields are numbers or booleans, so
 * `?limit=20` reaches zod as 20 (anything else stays text and zod names the field).
 */
function coerceQuery(route: RestRoute, query: Record<string, unknown>): Record<string, unknown> {
  const properties = procedureSchemas(route.procedure).input?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    const type = properties[name]?.type;
    if (
      typeof value === 'string' &&
      (type === 'integer' || type === 'number') &&
      NUMERIC.test(value)
    ) {
      out[name] = Number(value);
    } else if (typeof value === 'string' && type === 'boolean' && /^(true|false)$/.test(value)) {
      out[name] = value === 'true';
    } else {
      out[name] = value;
    }
  }
  return out;
}

/**
 * The procedure's input from the request: path parameters, plus the query (GET, DELETE) or the
 * JSON body (POST, PATCH). A body field that belongs in the path is refused rather than overridden.
 */
export function inputOf(
  route: RestRoute,
  req: FastifyRequest,
): { ok: true; input: Record<string, unknown> } | { ok: false; error: RestError } {
  const params = req.params as Record<string, string>;
  if (!hasBody(route.method)) {
    return {
      ok: true,
      input: { ...coerceQuery(route, req.query as Record<string, unknown>), ...params },
    };
  }
  const body = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      error: restError('VALIDATION_FAILED', 'The request body must be a JSON object.'),
    };
  }
  for (const name of pathParams(route.path)) {
    if (Object.hasOwn(body, name)) {
      const message = `${name} belongs in the path, not in the body`;
      return {
        ok: false,
        error: restError('VALIDATION_FAILED', `Invalid input: ${name}: ${message}`, {
          issues: [{ path: name, message }],
        }),
      };
    }
  }
  return { ok: true, input: { ...(body as Record<string, unknown>), ...params } };
}

/** Calls the route's procedure through tRPC's caller: the same middleware, scopes and errors. */
export async function callProcedure(
  route: RestRoute,
  context: Context,
  input: unknown,
  log: FastifyBaseLogger,
): Promise<CallResult> {
  const fn = route.procedure
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(context));
  try {
    const body = await (fn as (input: unknown) => Promise<unknown>)(input);
    return { ok: true, status: route.create ? 201 : 200, body: body ?? null };
  } catch (cause) {
    const error = restErrorFromProcedure(cause, {
      path: route.procedure,
      input,
      ctx: context,
      type: procedureSchemas(route.procedure).type,
    });
    if (error.code === 'INTERNAL') {
      log.error({ path: route.procedure, err: errorSummary(cause) }, 'procedure failed');
    }
    return { ok: false, error };
  }
}
