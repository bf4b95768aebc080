/**
 * tRPC callers for the api package's own tests (tRPC's createCallerFactory, the way its examples
 * test routers): a context built with `createContextInner` over real core deps and database.
 * Not a test file itself.
 */
import { createSession, ensureApiKey, newId, type SessionInfo } from '@plugboard/core';
import type { TestDeps } from '@plugboard/core/testing';
import { createContextInner } from '../context';
import { appRouter } from '../root';
import { createCallerFactory } from '../trpc';

const createCaller = createCallerFactory(appRouter);

/** A server-API caller: with a registered API key, an unknown one, or none. */
export function serverCaller(t: TestDeps, apiKey?: string) {
  return createCaller(
    createContextInner({ em: t.em(), deps: t.deps, ...(apiKey ? { apiKey } : {}) }),
  );
}

/** A Connect UI caller for this end user's browser session, or with no session at all. */
export function connectCaller(t: TestDeps, session: SessionInfo | null) {
  return createCaller(createContextInner({ em: t.em(), deps: t.deps, session }));
}

export async function registeredApiKey(t: TestDeps): Promise<string> {
  const key = newId('pk_');
  await ensureApiKey(t.em(), key, 'test');
  return key;
}

export async function sessionFor(t: TestDeps, externalUserId: string): Promise<SessionInfo> {
  const { session } = await createSession(t.em(), t.deps, {
    externalUserId,
    allowedOrigins: [],
    demo: false,
  });
  return session;
}
