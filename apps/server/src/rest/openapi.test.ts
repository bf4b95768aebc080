import { appRouter } from '@plugboard/api';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi';

type Operation = { operationId: string; 'x-plugboard-scope': string };
const document = buildOpenApiDocument({ serverUrl: 'http://127.0.0.1:3000' });
const operations = Object.values(
  document.paths as Record<string, Record<string, Operation>>,
).flatMap((methods) => Object.values(methods));

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // A round trip through JSON: what GET /v1/openapi.json serves.
    const served = JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('refuses a broken document (the validator is real)', async () => {
    const broken = JSON.parse(JSON.stringify(document)) as { paths: Record<string, unknown> };
    broken.paths['/v1/connections'] = { get: { responses: 'none' } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('has an operation for every server.* procedure, and the proxy', () => {
    const procedures = Object.keys(appRouter._def.procedures)
      .filter((p) => p.startsWith('server.'))
      .map((p) => p.replace(/^server\./, ''));
    const ids = operations.map((o) => o.operationId);
    expect(procedures.filter((p) => !ids.includes(p))).toEqual([]);
    const proxy = (document.paths as Record<string, Record<string, Operation>>)[
      '/v1/proxy/{connectionId}/{path}'
    ];
    expect(Object.keys(proxy ?? {}).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(proxy!.get!['x-plugboard-scope']).toBe('connections:proxy');
  });

  it('describes inputs from the zod schemas: path, query and body', () => {
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    const list = paths['/v1/connections']!.get!;
    expect(list.parameters).toContainEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 200 },
    });
    const credentials = paths['/v1/connections/{connectionId}/credentials']!.post!;
    expect(credentials.parameters).toContainEqual(
      expect.objectContaining({ name: 'connectionId', in: 'path', required: true }),
    );
    const body = (credentials.requestBody as { content: Record<string, { schema: unknown }> })
      .content['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(body.properties)).toEqual(['forceRefresh']);
    const create = paths['/v1/connect-tokens']!.post!;
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
    expect(Object.keys(create.responses as object)).toContain('201');
  });
});
