import { PlugboardError, SCOPES, type Scope } from '@plugboard/contracts';
import { ensureApiKey, newId } from '@plugboard/core';
import { createTestDeps, type TestDeps } from '@plugboard/core/testing';
import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from './root';
import { SERVER_PROCEDURE_SCOPES } from './scopes';
import { serverCaller } from './testing/callers';

/**
 * Every `server.*` procedure declares its scope in scopes.ts, and the middleware enforces it:
 * a key with only that scope gets past the check, a key with every other scope (but not admin)
 * gets 403 SCOPE_MISSING naming the scope.
 */
const serverProcedures = Object.keys(appRouter._def.procedures).filter((p) =>
  p.startsWith('server.'),
);
const table = Object.entries(SERVER_PROCEDURE_SCOPES) as [string, Scope][];

type Caller = ReturnType<typeof serverCaller>;
function callByPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return Promise.resolve().then(() => (fn as (i: unknown) => unknown)(input));
}
/** The app error code of a call ('ok' when it succeeded). */
async function outcome(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => ({ code: 'ok', message: '' }),
    (e: unknown) => {
      expect(e).toBeInstanceOf(TRPCError);
      const cause = (e as TRPCError).cause;
      return cause instanceof PlugboardError
        ? { code: cause.code, message: cause.message }
        : { code: (e as TRPCError).code, message: (e as TRPCError).message };
    },
  );
}

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
  return () => t.close();
});

async function keyWith(scopes: Scope[]): Promise<string> {
  const key = newId('pk_');
  await ensureApiKey(t.em(), key, 'scoped', scopes);
  return key;
}

describe('scope table', () => {
  it('names a scope for every server.* procedure, and nothing else', () => {
    expect(serverProcedures.length).toBeGreaterThan(10);
    expect(serverProcedures.filter((p) => !(p in SERVER_PROCEDURE_SCOPES))).toEqual([]);
    expect(table.map(([p]) => p).filter((p) => !serverProcedures.includes(p))).toEqual([]);
  });

  it('uses every scope somewhere', () => {
    expect(new Set(table.map(([, s]) => s))).toEqual(new Set(SCOPES));
  });
});

describe.each(table)('%s needs %s', (path, scope) => {
  it('a key with only that scope passes the scope check', async () => {
    const result = await outcome(callByPath(serverCaller(t, await keyWith([scope])), path, {}));
    expect(['SCOPE_MISSING', 'API_KEY_INVALID']).not.toContain(result.code);
  });

  it('a key with every other scope gets 403 SCOPE_MISSING naming it', async () => {
    const others = SCOPES.filter((s) => s !== scope && s !== 'admin');
    const result = await outcome(callByPath(serverCaller(t, await keyWith(others)), path, {}));
    expect(result.code).toBe('SCOPE_MISSING');
    expect(result.message).toContain(`"${scope}"`);
  });

  it('an admin key passes the scope check', async () => {
    const result = await outcome(callByPath(serverCaller(t, await keyWith(['admin'])), path, {}));
    expect(['SCOPE_MISSING', 'API_KEY_INVALID']).not.toContain(result.code);
  });
});
