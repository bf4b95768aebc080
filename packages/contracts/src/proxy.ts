import { z } from 'zod';
import { ConnectionIdSchema } from './ids';
import { safeString } from './strings';

/**
 * `server.connections.proxy`: the tRPC twin of `ANY /v1/proxy/{connectionId}/{path…}` for
 * JSON calls (apps/server/src/routes/proxy.ts is the streaming one). The request body is JSON,
 * bounded by the server's 64 KiB request limit; the answer's body at most 1 MiB.
 */
const HeaderNameSchema = safeString()
  .max(100)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name');

export const ProxyCallInputSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  /** The provider's own path, e.g. `v1/search` for Notion (a leading `/` is allowed). */
  path: safeString().min(1).max(4096),
  /** Query parameters, sent in this order. */
  query: z.record(safeString().max(200), safeString().max(4096)).optional(),
  headers: z.record(HeaderNameSchema, safeString().max(4096)).optional(),
  /** A JSON body (sent with `content-type: application/json`). */
  json: z.unknown().optional(),
});
export type ProxyCallInput = z.infer<typeof ProxyCallInputSchema>;

export const ProxyCallOutputSchema = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  /** The body parsed as JSON when the provider said JSON, else as text; null when empty. */
  body: z.unknown(),
  /** Whether the credentials were refreshed because the provider answered 401. */
  refreshed: z.boolean(),
});
export type ProxyCallOutput = z.infer<typeof ProxyCallOutputSchema>;
