import { appRouter, SERVER_PROCEDURE_SCOPES } from '@plugboard/api';
import { describe, expect, it } from 'vitest';
import { procedureSchemas } from './openapi';
import { pathParams, REST_ROUTES } from './routes';

/**
 * Every `server.*` procedure has its REST twin: walked from the router itself (as
 * packages/api/src/scopes.test.ts does), so a procedure added without a line in routes.ts fails
 * here.
 */
const serverProcedures = Object.keys(appRouter._def.procedures).filter((p) =>
  p.startsWith('server.'),
);

describe('REST route table', () => {
  it('has exactly one route for every server.* procedure, and none for anything else', () => {
    expect(serverProcedures.length).toBeGreaterThan(10);
    const routed = REST_ROUTES.map((r) => r.procedure as string);
    expect(serverProcedures.filter((p) => !routed.includes(p))).toEqual([]);
    expect(routed.filter((p) => !serverProcedures.includes(p))).toEqual([]);
    expect(new Set(routed).size).toBe(routed.length);
    expect(Object.keys(SERVER_PROCEDURE_SCOPES).sort()).toEqual([...routed].sort());
  });

  it('uses each method and path once, GET only for queries, and creates are POSTs', () => {
    const keys = REST_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of REST_ROUTES) {
      const { type } = procedureSchemas(route.procedure);
      expect(route.method === 'GET', route.procedure).toBe(type === 'query');
      if (route.create) expect(route.method, route.procedure).toBe('POST');
    }
  });

  it('takes every path parameter from a required input field', () => {
    for (const route of REST_ROUTES) {
      const { input } = procedureSchemas(route.procedure);
      for (const name of pathParams(route.path)) {
        expect(input?.required ?? [], `${route.procedure} {${name}}`).toContain(name);
      }
    }
  });
});
