import { Connection } from '@plugboard/db';
import { startMockProviders } from '@plugboard/mock-providers';
import type { ProviderId } from '@plugboard/contracts';
import type { DatabaseConfig } from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { afterAll, bench, describe, inject } from 'vitest';
import { ManualClock } from '../../clock';
import {
  coalesced,
  consentAtMock,
  createTestDeps,
  ensureMockClient,
  type TestDeps,
} from '../../testing';
import { getCredentials } from '../credentials-service';
import { openStoredCredentials, sealCredentials } from '../credentials';
import { handleOAuthCallback, startOAuth } from '../oauth-flow';
import { createSession } from '../sessions';
import { RefreshScheduler, PROACTIVE_WINDOW_MS } from './scheduler';

/**
 * Background refresh on a SQLite file against the mock over loopback HTTP, with the scheduler's
 * default limits (one instance): N Calendly connections due at once, then the same beside Zoom
 * whose token endpoint hangs (every call runs into the 10-s timeout). Reports refreshes/minute,
 * the worst lateness (how long after it came due the last refresh ran; a token is due 10 min
 * before it expires, so lateness under 10 min means no token expired), and the arithmetic for
 * 100,000 connections with 1-hour tokens. Measured before the scheduler (issue 13): 20/min
 * (`refreshExpiringConnections(limit = 20)` once a minute, one at a time); 300 due took 876 s;
 * beside a down provider the other got 3 refreshes in 200 s.
 */

let calendlyUsers = 0;
/** The mock's Calendly consent signs in as a user of its own from now on. */
async function asCalendlyUser(tag: string, i: number): Promise<void> {
  const n = ++calendlyUsers;
  const res = await fetch(`${mock.url}/__control/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      provider: 'calendly',
      account: {
        userUuid: `c41e0d1a-0ada-4c0d-9e1a-${n.toString(16).padStart(12, '0')}`,
        email: `${tag}-${i}@bench.example`,
      },
    }),
  });
  if (!res.ok) throw new Error(`the mock refused the Calendly account (HTTP ${res.status})`);
}

/** The real time, through the injectable clock's type (lateness is measured in real time). */
class RealClock extends ManualClock {
  override now(): Date {
    return new Date();
  }
}

const mock = await startMockProviders({ port: 0 });
const line = (s: string) => process.stdout.write(`${s}\n`);
const NEEDED = Math.ceil(100_000 / 60);

async function measure(label: string, database: DatabaseConfig | undefined, N: number) {
  const t: TestDeps = await createTestDeps({
    mockUrl: mock.url,
    clock: new RealClock(),
    providerTimeoutMs: 10_000,
    ...(database ? { database } : {}),
  });
  for (const p of ['calendly', 'zoom']) await ensureMockClient(mock.url, t.deps, p);
  async function connectMany(
    providerId: string,
    n: number,
    tag: string,
    parallel = 8,
  ): Promise<string[]> {
    const ids: string[] = [];
    const one = async (i: number) => {
      if (providerId === 'calendly') await asCalendlyUser(tag, i);
      const { session } = await createSession(t.em(), t.deps, {
        externalUserId: `${tag}-${i}`,
        allowedOrigins: [],
        demo: false,
      });
      const started = await startOAuth(t.em(), t.deps, session, {
        providerId: providerId as ProviderId,
      });
      const query = await consentAtMock(started.authorizationUrl);
      const outcome = await handleOAuthCallback(t.em(), t.deps, {
        providerId,
        query,
        sessionId: session.id,
      });
      if (outcome.status !== 'completed')
        throw new Error(`connect ${providerId} failed: ${JSON.stringify(outcome)}`);
    };
    for (let i = 0; i < n; i += parallel) {
      await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, k) => one(i + k)));
    }
    const rows = await t.em().find(Connection, { externalUserId: { $like: `${tag}-%` } });
    ids.push(...rows.map((r) => r.id));
    return ids;
  }

  /** Makes the rows due now: their tokens expire in 5 minutes (inside the 10-minute window). */
  async function makeDue(ids: string[]): Promise<void> {
    // A refresh within the last 10 s is returned instead of refreshing again (credentials-service).
    await new Promise((r) => setTimeout(r, 10_500));
    const em = t.em();
    const soon = new Date(Date.now() + 5 * 60_000);
    for (const row of await em.find(Connection, { id: { $in: ids } })) {
      const c = openStoredCredentials(t.deps.keyring, row.id, row.credentialsEnc);
      if (c.type !== 'oauth2') continue;
      row.credentialsEnc = sealCredentials(t.deps.keyring, row.id, { ...c, expiresAt: soon });
      row.accessTokenExpiresAt = soon;
      row.refreshNotBefore = null;
      row.refreshFailures = 0;
    }
    await em.flush();
  }

  /** Runs a scheduler as the server's loop does until `ids` are all refreshed (or `limitS` passes). */
  async function runUntilRefreshed(ids: string[], limitS = 600) {
    const versions = new Map(
      (await t.em().find(Connection, { id: { $in: ids } })).map((r) => [r.id, r.version]),
    );
    const wake = coalesced(() => s.dispatch());
    const s: RefreshScheduler = new RefreshScheduler(() => t.em(), t.deps, {}, wake);
    const started = Date.now();
    wake();
    // The server's loop also ticks every REFRESH_POLL_MS (10 s); here every second.
    const poll = setInterval(wake, 1000);
    let done: Connection[] = [];
    while (Date.now() - started < limitS * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const rows = await t.em().find(Connection, { id: { $in: ids } });
      done = rows.filter((r) => r.version > versions.get(r.id)!);
      if (done.length === ids.length) break;
    }
    clearInterval(poll);
    await s.close();
    const last = Math.max(...done.map((r) => r.lastRefreshedAt!.getTime()));
    const seconds = (last - started) / 1000;
    return {
      refreshed: done.length,
      perMinute: (done.length / seconds) * 60,
      worstLatenessS: seconds,
      expiredFirst: done.filter((r) => r.lastRefreshedAt!.getTime() > started + 5 * 60_000).length,
    };
  }

  // One at a time, each as its own Calendly user (the mock's consent signs in as the account the
  // control API set): Calendly issues a user at most 8 tokens a minute, exchanges and refreshes
  // together (mocks/providers/src/calendly/rate-limit.ts), as in production where every
  // connection is another person.
  const calendly = await connectMany('calendly', N, `${label}-a`, 1);

  // 1. N due at once, one provider.
  await makeDue(calendly);
  const alone = await runUntilRefreshed(calendly);

  // 2. The same beside a provider whose token endpoint hangs (each call waits out the timeout).
  // One at a time: Zoom ends a user's previous grant when the same user authorizes again.
  const zoom = await connectMany('zoom', 100, `${label}-z`, 1);
  const fault = await fetch(`${mock.url}/__control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'zoom', endpoint: 'token', kind: 'timeout', count: 100_000 }),
  });
  if (!fault.ok) throw new Error('fault not set');
  await makeDue([...calendly, ...zoom]);
  const beside = await runUntilRefreshed(calendly);

  // 3. One refresh at a time (how the background refresh worked before), for the ratio.
  const SERIAL = 100;
  await makeDue(calendly.slice(0, SERIAL));
  const serialStart = performance.now();
  for (const id of calendly.slice(0, SERIAL)) {
    await getCredentials(t.em(), t.deps, { connectionId: id, marginMs: PROACTIVE_WINDOW_MS });
  }
  const serialPerMinute = (SERIAL / ((performance.now() - serialStart) / 1000)) * 60;

  line('');
  line(`background refresh (${label}, mock providers over loopback, one instance, defaults)`);
  line(
    `  ${N} due at once: ${alone.perMinute.toFixed(0)} refreshes/min, worst lateness ` +
      `${alone.worstLatenessS.toFixed(1)} s, expired before refreshed: ${alone.expiredFirst} ` +
      `(before: 20/min; 300 due took 876 s)`,
  );
  line(
    `  beside a provider whose token endpoint hangs: ${beside.perMinute.toFixed(0)}/min, worst ` +
      `lateness ${beside.worstLatenessS.toFixed(1)} s (${(beside.perMinute / alone.perMinute).toFixed(2)}× ` +
      `alone; before: ×0.05)`,
  );
  line(
    `  one at a time (the old loop's pace without its once-a-minute limit): ` +
      `${serialPerMinute.toFixed(0)}/min (pool ×${(alone.perMinute / serialPerMinute).toFixed(1)})`,
  );
  line(
    `  100,000 connections × 1-hour tokens need ${NEEDED}/min: one instance does ` +
      `${alone.perMinute.toFixed(0)}/min → ${Math.ceil(NEEDED / alone.perMinute)} instance(s) ` +
      `(goal ≤ 2; before: 84)`,
  );
  // Held Zoom calls are dropped and the faults cleared for the next database's run.
  await fetch(`${mock.url}/__control/reset`, { method: 'POST' });
  await t.close();
}

await measure('SQLite file', undefined, 300);
const pgUrl = inject('postgresUrl');
if (pgUrl) {
  const url = await createPostgresTestDatabase(pgUrl);
  await measure('PostgreSQL', { kind: 'postgresql', url }, 500);
}

describe('background refresh', () => {
  afterAll(async () => mock.close());
  // The figures are the report lines above; this keeps vitest's bench runner satisfied.
  bench('report printed above', () => undefined, { iterations: 1, time: 0, warmupIterations: 0 });
});
