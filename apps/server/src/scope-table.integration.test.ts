import { appRouter, SERVER_PROCEDURE_SCOPES } from '@plugboard/api';
import { createPlugboardClient } from '@plugboard/client';
import { SCOPES, type Scope } from '@plugboard/contracts';
import { newId } from '@plugboard/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestStack, testDatabases, type TestStack } from './testing';

/**
 * The scope table (packages/api/src/scopes.ts) over real HTTP with API clients' access tokens,
 * on SQLite and PostgreSQL (issue 9 §3): for every `server.*` procedure, a token with only its
 * scope gets past the check, and a token with every other scope but admin is 403 SCOPE_MISSING
 * naming it. The input is `{}`, so a call that passes stops at validation and changes nothing.
 */
const table = Object.entries(SERVER_PROCEDURE_SCOPES) as [string, Scope][];
const procedures = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: string } }
>;

describe.each(testDatabases(inject('postgresUrl')))('scope table on %s', (_db, database) => {
  const bootstrapKey = newId('pk_');
  let stack: TestStack;
  const only = new Map<Scope, string>();
  const allBut = new Map<Scope, string>();

  beforeAll(async () => {
    const db = await database();
    stack = await startTestStack({
      env: { PLUGBOARD_BOOTSTRAP_API_KEY: bootstrapKey, RATE_LIMIT: 'off' },
      ...(db ? { database: db } : {}),
    });
    const admin = createPlugboardClient({ url: stack.url, apiKey: bootstrapKey });
    const tokenFor = async (scopes: Scope[]) => {
      const { clientId, clientSecret } = await admin.apiClients.create.mutate({
        name: 'scope table',
        scopes,
      });
      const res = await fetch(`${stack.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    for (const scope of SCOPES) {
      only.set(scope, await tokenFor([scope]));
      allBut.set(scope, await tokenFor(SCOPES.filter((s) => s !== scope && s !== 'admin')));
    }
  });
  afterAll(async () => stack?.close());

  /** Calls a procedure as @plugboard/client would (GET for a query, POST for a mutation). */
  async function call(path: string, token: string) {
    const input = encodeURIComponent(JSON.stringify({}));
    const query = procedures[path]!._def.type === 'query';
    const res = await fetch(`${stack.url}/trpc/${path}${query ? `?input=${input}` : ''}`, {
      method: query ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(query ? {} : { 'content-type': 'application/json' }),
      },
      ...(query ? {} : { body: '{}' }),
    });
    const body = (await res.json()) as {
      error?: { message: string; data?: { code?: string } };
    };
    return {
      status: res.status,
      code: body.error?.data?.code ?? 'ok',
      message: body.error?.message,
    };
  }

  it('lists every server.* procedure', () => {
    const server = Object.keys(procedures).filter((p) => p.startsWith('server.'));
    expect(table.map(([p]) => p).sort()).toEqual(server.sort());
  });

  it.each(table)(
    '%s: only %s passes, every other scope is 403 SCOPE_MISSING',
    async (path, scope) => {
      const allowed = await call(path, only.get(scope)!);
      expect(['SCOPE_MISSING', 'API_KEY_INVALID', 'ACCESS_TOKEN_EXPIRED']).not.toContain(
        allowed.code,
      );
      expect(allowed.status).not.toBe(403);
      const refused = await call(path, allBut.get(scope)!);
      expect(refused).toMatchObject({ status: 403, code: 'SCOPE_MISSING' });
      expect(refused.message).toContain(`"${scope}"`);
    },
  );
});
