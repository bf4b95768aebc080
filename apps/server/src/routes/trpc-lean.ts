import { appRouter, type AppRouter, type Context } from '@plugboard/api';
import {
  fastifyRequestHandler,
  type FastifyTRPCPluginOptions,
} from '@trpc/server/adapters/fastify';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import {
  callProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
} from '@trpc/server/unstable-core-do-not-import';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The hot procedures a host backend calls before every provider request, answered without tRPC's
 * Fetch-API bridge: tRPC's Fastify adapter turns each request into a WHATWG Request and the answer
 * into a Response (resolveResponse), ~28% of the CPU of a credentials call under load (issue 13).
 * Here the one call is run by tRPC itself (`callProcedure`: the same middlewares, input and output
 * parsers, error formatter) and written with Fastify directly. Only the plain shapes are taken —
 * a JSON POST of one call, with or without `?batch=1` (what httpLink and httpBatchLink send for a
 * single call); anything else (batches of several calls, other content types, bad JSON, other
 * query parameters) goes to tRPC's own adapter unchanged, so every edge keeps tRPC's behaviour.
 * The wire format is tRPC's: `{ result: { data } }` or `{ error: shape }`, in an array for batches.
 */
const LEAN_MUTATIONS = ['server.connections.credentials'] as const;

type TrpcOptions = FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];

export function registerLeanTrpcRoutes(
  app: FastifyInstance,
  prefix: string,
  trpcOptions: TrpcOptions,
  createContext: (req: FastifyRequest) => Promise<Context>,
): void {
  const config = appRouter._def._config;
  for (const path of LEAN_MUTATIONS) {
    app.post(`${prefix}/${path}`, async (req, reply) => {
      const query = req.query as Record<string, string | undefined>;
      const keys = Object.keys(query);
      const batch = keys.length === 1 && query.batch === '1';
      let input: unknown;
      const lean =
        (keys.length === 0 || batch) &&
        typeof req.body === 'string' &&
        String(req.headers['content-type'] ?? '')
          .toLowerCase()
          .startsWith('application/json') &&
        readInput(req.body, batch, (v) => (input = v));
      if (!lean) {
        await fastifyRequestHandler({ ...trpcOptions, req, res: reply, path });
        return reply;
      }
      let ctx: Context | undefined;
      let body: unknown;
      let status = 200;
      try {
        ctx = await createContext(req);
        const data: unknown = await callProcedure({
          router: appRouter,
          path,
          getRawInput: async () => input,
          ctx,
          type: 'mutation',
          signal: undefined,
          batchIndex: 0,
        });
        body = { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        trpcOptions.onError?.({ error, path, input, ctx, type: 'mutation', req });
        body = { error: getErrorShape({ config, error, type: 'mutation', path, input, ctx }) };
        status = getHTTPStatusCodeFromError(error);
      }
      return reply
        .code(status)
        .header('vary', 'trpc-accept, accept')
        .header('content-type', 'application/json')
        .send(Buffer.from(JSON.stringify(batch ? [body] : body)));
    });
  }
}

/** The one call's input from the body; false when it is not the plain shape. */
function readInput(raw: string, batch: boolean, set: (v: unknown) => void): boolean {
  let parsed: unknown;
  try {
    parsed = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    return false;
  }
  if (!batch) {
    set(parsed);
    return true;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== '0') return false;
  set((parsed as Record<string, unknown>)['0']);
  return true;
}
