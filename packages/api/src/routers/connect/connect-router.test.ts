import { PlugboardError } from '@plugboard/contracts';
import { handleOAuthCallback } from '@plugboard/core';
import {
  consentAtMock,
  createTestDeps,
  ensureMockClient,
  type TestDeps,
} from '@plugboard/core/testing';
import { Connection } from '@plugboard/db';
import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appRouter } from '../../root';
import { connectCaller, sessionFor } from '../../testing/callers';

async function failure(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
const appCode = (e: TRPCError) => (e.cause instanceof PlugboardError ? e.cause.code : undefined);

type Caller = ReturnType<typeof connectCaller>;
function callByPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller);
  return Promise.resolve().then(() => (fn as (i: unknown) => unknown)(input));
}

let mock: RunningMockProviders;
let t: TestDeps;
beforeAll(async () => {
  mock = await startMockProviders({ port: 0 });
});
afterAll(async () => mock.close());
beforeEach(async () => {
  await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
  t = await createTestDeps({ mockUrl: mock.url });
  await ensureMockClient(mock.url, t.deps, 'notion');
  return () => t.close();
});

/** Connects Notion for this user the way the Connect UI does: start, consent, callback. */
async function connectNotion(externalUserId: string) {
  const session = await sessionFor(t, externalUserId);
  const started = await connectCaller(t, session).connect.oauth.start({ providerId: 'notion' });
  const query = await consentAtMock(started.authorizationUrl);
  await handleOAuthCallback(t.em(), t.deps, {
    providerId: 'notion',
    query,
    sessionId: session.id,
  });
  const row = await t.em().findOneOrFail(Connection, { externalUserId });
  return { session, attemptId: started.attemptId, connectionId: row.id };
}

describe('connect.* requires a session', () => {
  const sessionProcedures = Object.keys(appRouter._def.procedures).filter(
    (p) => p.startsWith('connect.') && p !== 'connect.session.me',
  );

  it.each(sessionProcedures)('%s: no session → 401 UNAUTHENTICATED', async (path) => {
    const error = await failure(callByPath(connectCaller(t, null), path, {}));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(appCode(error)).toBe('UNAUTHENTICATED');
  });

  it('session.me answers without a session, and names the session with one', async () => {
    expect(await connectCaller(t, null).connect.session.me()).toMatchObject({ session: null });
    const session = await sessionFor(t, 'user-1');
    const me = await connectCaller(t, session).connect.session.me();
    expect(me.session).toMatchObject({ externalUserId: 'user-1' });
    expect(JSON.stringify(me)).not.toContain(session.id);
  });
});

describe("a session sees and changes only its own end user's connections", () => {
  it('lists its own connection only', async () => {
    const a = await connectNotion('user-a');
    const b = await sessionFor(t, 'user-b');
    const own = await connectCaller(t, a.session).connect.connections.list();
    expect(own.map((c) => c.id)).toEqual([a.connectionId]);
    expect(await connectCaller(t, b).connect.connections.list()).toEqual([]);
  });

  it("cannot read another user's attempt or disconnect their connection", async () => {
    const a = await connectNotion('user-a');
    const b = connectCaller(t, await sessionFor(t, 'user-b'));
    expect(
      appCode(await failure(b.connect.attempts.get({ attemptId: a.attemptId as never }))),
    ).toBe('NOT_FOUND');
    const error = await failure(
      b.connect.connections.disconnect({ connectionId: a.connectionId as never }),
    );
    expect(appCode(error)).toBe('NOT_FOUND');
    const row = await t.em().findOneOrFail(Connection, { id: a.connectionId });
    expect(row.status).toBe('active');
  });

  it('disconnects its own connection', async () => {
    const a = await connectNotion('user-a');
    const result = await connectCaller(t, a.session).connect.connections.disconnect({
      connectionId: a.connectionId as never,
    });
    expect(result).toMatchObject({ connectionId: a.connectionId });
    expect(await connectCaller(t, a.session).connect.connections.list()).toEqual([]);
  });
});
