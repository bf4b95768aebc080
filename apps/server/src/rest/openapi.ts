import { appRouter, requiredScope } from '@plugboard/api';
import { ERROR_CODES } from '@plugboard/contracts';
import type { AnyTRPCProcedure } from '@trpc/server';
import { z } from 'zod';
import { hasBody, pathParams, REST_ROUTES, type RestRoute, type ServerProcedure } from './routes';

/**
 * The OpenAPI 3.1 document of `/v1`, generated from the same zod schemas tRPC validates with
 * (zod 4's `z.toJSONSchema`, https://zod.dev/json-schema; OpenAPI 3.1 schemas are JSON Schema
 * 2020-12, zod's default target) and the route table in rest/routes.ts. Nothing here is a
 * second copy of a shape.
 */
export type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  type?: string;
};

interface ProcedureSchemas {
  type: 'query' | 'mutation';
  /** The input's JSON Schema (an object), or null for a procedure without input. */
  input: JsonSchema | null;
  output: JsonSchema;
}

const toJsonSchema = (schema: unknown, io: 'input' | 'output'): JsonSchema => {
  // `$schema` belongs to a standalone document, not to a schema inside OpenAPI.
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema as z.ZodType, {
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
};

const cache = new Map<string, ProcedureSchemas>();

/** A `server.*` procedure's type and its input / output as JSON Schema. */
export function procedureSchemas(path: ServerProcedure): ProcedureSchemas {
  const cached = cache.get(path);
  if (cached) return cached;
  const procedure = (appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>)[
    path
  ];
  if (!procedure) throw new Error(`no procedure ${path}`);
  const def = procedure._def as unknown as {
    type: 'query' | 'mutation';
    inputs: unknown[];
    output?: unknown;
  };
  const schemas: ProcedureSchemas = {
    type: def.type,
    input: def.inputs[0] ? toJsonSchema(def.inputs[0], 'input') : null,
    output: def.output ? toJsonSchema(def.output, 'output') : {},
  };
  cache.set(path, schemas);
  return schemas;
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

function operation(route: RestRoute): Record<string, unknown> {
  const { input, output } = procedureSchemas(route.procedure);
  const inPath = pathParams(route.path);
  const properties = input?.properties ?? {};
  const required = new Set(input?.required ?? []);
  const parameters: Record<string, unknown>[] = inPath.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: properties[name] ?? { type: 'string' },
  }));
  let requestBody: Record<string, unknown> | undefined;
  const rest = Object.entries(properties).filter(([name]) => !inPath.includes(name));
  if (hasBody(route.method)) {
    if (rest.length > 0) {
      const bodyRequired = [...required].filter((n) => !inPath.includes(n));
      const { required: _all, ...schema } = { ...input, properties: Object.fromEntries(rest) };
      requestBody = {
        required: bodyRequired.length > 0,
        content: {
          'application/json': {
            schema: bodyRequired.length ? { ...schema, required: bodyRequired } : schema,
          },
        },
      };
    }
  } else {
    for (const [name, schema] of rest) {
      parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  if (route.create) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Any unique string (≤ 255 printable ASCII characters). The same key with the same request within 24 hours returns the first answer again (with `Idempotent-Replayed: true`); with a different request it is a 409 `IDEMPOTENCY_KEY_REUSED`.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  const scope = requiredScope(route.procedure);
  const [, tag] = route.procedure.split('.');
  return {
    operationId: route.procedure.replace(/^server\./, ''),
    summary: route.summary,
    description: `Needs the scope \`${scope}\` (or \`admin\`). The REST twin of the tRPC procedure \`${route.procedure}\`: same input, output and error codes.`,
    tags: [tag],
    'x-plugboard-scope': scope,
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [route.create ? '201' : '200']: {
        description: 'OK',
        content: { 'application/json': { schema: output } },
      },
      '4XX': ref('Error'),
      '429': ref('RateLimited'),
      '5XX': ref('Error'),
    },
  };
}

/** The proxy (apps/server/src/routes/proxy.ts): not a zod procedure, described by hand. */
function proxyOperation(method: string): Record<string, unknown> {
  return {
    operationId: `proxy.${method}`,
    summary: "Call the provider's API with this connection's credentials",
    description:
      "Forwards method, query, headers (minus hop-by-hop and Authorization) and body to the provider's API for this connection, with its auth added; refreshes once on a 401 and retries. Only the provider's own API hosts. Needs the scope `connections:proxy` (or `admin`). The provider's answer is passed through; Plugboard's own errors use the error shape below.",
    tags: ['proxy'],
    'x-plugboard-scope': 'connections:proxy',
    parameters: [
      {
        name: 'connectionId',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^conn_[A-Za-z0-9_-]{16,64}$' },
      },
      {
        name: 'path',
        in: 'path',
        required: true,
        description: "The provider API path, e.g. `v1/search` for Notion (may contain '/').",
        schema: { type: 'string' },
      },
    ],
    responses: {
      default: { description: "The provider's answer, passed through" },
      '4XX': ref('Error'),
      '429': ref('RateLimited'),
      '5XX': ref('Error'),
    },
  };
}

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: [...ERROR_CODES] },
        message: { type: 'string', description: 'For a person: what happened, what to do.' },
        issues: {
          type: 'array',
          description: 'Which input fields were wrong.',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

export function buildOpenApiDocument(opts: { serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of REST_ROUTES) {
    const path = `/v1${route.path}`;
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  paths['/v1/proxy/{connectionId}/{path}'] = Object.fromEntries(
    ['get', 'post', 'put', 'patch', 'delete'].map((m) => [m, proxyOperation(m)]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Plugboard server API',
      version: '1',
      description:
        'The REST twin of the tRPC `server.*` API: for host-app backends in any language. Authenticate with `Authorization: Bearer <API key pk_… | access token pat_… from POST /oauth/token>`. Errors are `{ "error": { "code", "message", "issues"? } }` with a stable `code`.',
    },
    servers: [{ url: opts.serverUrl }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key (pk_…) or an API client access token (pat_…).',
        },
      },
      schemas: { Error: ErrorSchema },
      responses: {
        Error: {
          description: 'A stable error code and a message a person can act on.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        RateLimited: {
          description: 'Too many requests (RATE_LIMITED, or the provider asked to wait).',
          headers: {
            'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } },
          },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
