import { PlugboardError } from '@plugboard/contracts';
import { createTestDeps, type TestDeps } from '@plugboard/core/testing';
import { Connection } from '@plugboard/db';
import { startMockProviders, type RunningMockProviders } from '@plugboard/mock-providers';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  connectCaller,
  registeredApiKey,
  serverCaller,
  sessionFor,
} from '../../../testing/callers';

let mock: RunningMockProviders;
let t: TestDeps;
beforeAll(async () => {
  mock = await startMockProviders({ port: 0 });
});
afterAll(async () => mock.close());
beforeEach(async () => {
  await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
  t = await createTestDeps({ mockUrl: mock.url });
  return () => t.close();
});

async function issued(provider: string): Promise<Record<string, string>> {
  const res = await fetch(`${mock.url}/__control/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider }),
  });
  return ((await res.json()) as { values: Record<string, string> }).values;
}

async function failure(promise: Promise<unknown>): Promise<PlugboardError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const cause = (error as TRPCError).cause;
  expect(cause).toBeInstanceOf(PlugboardError);
  return cause as PlugboardError;
}

describe('connect.apiKey.connect', () => {
  it('needs a session', async () => {
    const e = await failure(
      connectCaller(t, null).connect.apiKey.connect({
        providerId: 'notion-internal',
        values: { token: 'ntn_x' },
      }),
    );
    expect(e.code).toBe('UNAUTHENTICATED');
  });

  it('stores a verified key for the session user, which the server API then hands out', async () => {
    const values = await issued('notion-internal');
    const caller = connectCaller(t, await sessionFor(t, 'ada'));
    const out = await caller.connect.apiKey.connect({ providerId: 'notion-internal', values });
    const row = await t.em().findOneOrFail(Connection, { id: out.connectionId });
    expect(row.externalUserId).toBe('ada');
    const server = serverCaller(t, await registeredApiKey(t));
    const creds = await server.server.connections.credentials({ connectionId: out.connectionId });
    expect(creds).toMatchObject({ type: 'api_key', values, refreshed: false });
  });

  it('refuses a reconnect of another user’s connection, or of another provider’s', async () => {
    const values = await issued('notion-internal');
    const ada = connectCaller(t, await sessionFor(t, 'ada'));
    const { connectionId } = await ada.connect.apiKey.connect({
      providerId: 'notion-internal',
      values,
    });
    const bob = connectCaller(t, await sessionFor(t, 'bob'));
    const notHis = await failure(
      bob.connect.apiKey.connect({
        providerId: 'notion-internal',
        values,
        reconnectConnectionId: connectionId,
      }),
    );
    expect(notHis.code).toBe('NOT_FOUND');
    // A Stripe key can never renew a Notion connection.
    const mismatch = await failure(
      ada.connect.apiKey.connect({
        providerId: 'stripe-restricted',
        values: await issued('stripe-restricted'),
        reconnectConnectionId: connectionId,
      }),
    );
    expect(mismatch.code).toBe('NOT_FOUND');
    expect(await t.em().count(Connection, {})).toBe(1);
  });

  it('reports an unknown field at that field', async () => {
    const caller = connectCaller(t, await sessionFor(t, 'ada'));
    const e = await failure(
      caller.connect.apiKey.connect({
        providerId: 'notion-internal',
        values: { token: 'ntn_abcdefghijklmnopqrstuvwxyz', extra: '1' },
      }),
    );
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.field).toBe('values.extra');
  });
});
