import {
  ApiAccessToken,
  AuditEntry,
  AuthAttempt,
  migrate,
  openOrm,
  ConnectFlow,
  WebhookDelivery,
  type DatabaseConfig,
  type Orm,
} from '@plugboard/db';
import { createPostgresTestDatabase } from '@plugboard/db/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ManualClock } from '../clock';
import { newId } from '../crypto';
import { purgeRetained, RETENTION_BATCH_SIZE, type PurgedTable } from './retention';

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-retention-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pgUrl = inject('postgresUrl');
const dialects: [string, () => Promise<DatabaseConfig>][] = [
  ['sqlite', async () => ({ kind: 'sqlite', path: join(tmp, `${newId('r')}.db`) })],
];
if (pgUrl) {
  dialects.push([
    'postgresql',
    async () => ({ kind: 'postgresql', url: await createPostgresTestDatabase(pgUrl) }),
  ]);
}

const DAY = 24 * 3600 * 1000;
/** More than two batches, so the purge must loop (and stop) on its own. */
const BACKLOG = RETENTION_BATCH_SIZE * 2 + 234;

describe.each(dialects)('retention on %s', (_name, config) => {
  it('purges a backlog larger than one batch in bounded batches, and nothing newer or still pending', async () => {
    const orm: Orm = await openOrm(await config());
    try {
      await migrate(orm);
      const now = new Date('2026-06-01T00:00:00Z');
      const clock = new ManualClock(now);
      const ago = (ms: number) => new Date(now.getTime() - ms);
      const em = orm.em.fork();

      const delivery = (status: 'pending' | 'delivered' | 'failed', createdAt: Date) => ({
        id: newId('whd_'),
        messageId: newId('msg_'),
        endpointId: 'whe_gone',
        eventType: 'connection.created',
        payload: {},
        status,
        attempts: 1,
        nextAttemptAt: createdAt,
        leaseUntil: null,
        lastStatus: null,
        lastError: null,
        deliveredAt: status === 'delivered' ? createdAt : null,
        createdAt,
      });
      const old = ago(31 * DAY);
      const oldDeliveries = Array.from({ length: BACKLOG }, (_, i) =>
        delivery(i % 2 ? 'delivered' : 'failed', old),
      );
      const keptDeliveries = [
        delivery('delivered', ago(29 * DAY)), // inside the window
        delivery('failed', ago(29 * DAY)),
        delivery('pending', ago(400 * DAY)), // still pending: never purged, however old
      ];
      await em.insertMany(WebhookDelivery, [...oldDeliveries, ...keptDeliveries]);

      const audit = (createdAt: Date) => ({
        id: newId('aud_'),
        actor: 'system',
        action: 'credentials.read',
        connectionId: null,
        targetId: null,
        providerId: null,
        detail: {},
        createdAt,
      });
      const oldAudit = Array.from({ length: BACKLOG }, () => audit(ago(366 * DAY)));
      const keptAudit = audit(ago(364 * DAY));
      await em.insertMany(AuditEntry, [...oldAudit, keptAudit]);

      const attempt = (expiresAt: Date, status: 'pending' | 'completed') => ({
        id: newId('att_'),
        providerId: 'notion',
        externalUserId: 'u',
        sessionId: null,
        stateHash: newId('h').padEnd(64, 'x').slice(0, 64),
        pkceVerifierEnc: null,
        redirectUri: 'x',
        tokenUrl: 'x',
        inputs: {},
        returnTo: null,
        status,
        errorCode: null,
        connectionId: null,
        reconnectConnectionId: null,
        hostRedirectUrl: null,
        launchTokenHash: null,
        authorizationUrlEnc: null,
        bindingHash: null,
        launchedAt: null,
        expiresAt,
        consumedAt: null,
        createdAt: expiresAt,
        updatedAt: expiresAt,
      });
      const oldAttempts = Array.from({ length: BACKLOG }, () => attempt(ago(2 * DAY), 'completed'));
      const keptAttempts = [
        attempt(ago(DAY / 2), 'completed'), // expired, but within the day the result page reads it
        attempt(new Date(now.getTime() + 5 * 60 * 1000), 'pending'), // in progress
      ];
      await em.insertMany(AuthAttempt, [...oldAttempts, ...keptAttempts]);

      const flow = (expiresAt: Date) => ({
        id: newId('tgf_'),
        sessionId: 'ses_1',
        externalUserId: 'u',
        providerId: 'telegram',
        mode: 'telegram',
        kind: 'qr',
        step: 'qr_waiting',
        stateEnc: null,
        attempts: 0,
        errorCode: null,
        connectionId: null,
        version: 1,
        expiresAt,
        createdAt: expiresAt,
        updatedAt: expiresAt,
      });
      const keptFlow = flow(new Date(now.getTime() + 60_000)); // still waiting for a scan
      await em.insertMany(ConnectFlow, [flow(ago(2 * DAY)), flow(ago(3 * DAY)), keptFlow]);

      // Client-credentials access tokens: useless once expired (services/api-clients.ts).
      const accessToken = (expiresAt: Date) => ({
        id: newId('tok_'),
        tokenHash: newId('h').padEnd(64, 'x').slice(0, 64),
        clientId: 'cli_1',
        scopes: ['admin'],
        createdAt: new Date(expiresAt.getTime() - 3600_000),
        expiresAt,
      });
      const keptToken = accessToken(new Date(now.getTime() + 60_000)); // still valid
      await em.insertMany(ApiAccessToken, [
        ...Array.from({ length: BACKLOG }, () => accessToken(ago(60_000))),
        accessToken(now), // expires this instant: no longer accepted (expiresAt <= now)
        keptToken,
      ]);

      const batches: [PurgedTable, number][] = [];
      const counts = await purgeRetained(orm.em.fork(), { clock }, undefined, {
        pauseMs: 1,
        onBatch: (table, n) => batches.push([table, n]),
      });

      expect(counts).toEqual({
        sessions: 0,
        connectTokens: 0,
        attempts: BACKLOG,
        connectFlows: 2,
        webhookDeliveries: BACKLOG,
        auditEntries: BACKLOG,
        apiAccessTokens: BACKLOG + 1,
        idempotencyRecords: 0, // services/idempotency.test.ts purges those
      });
      // No statement deleted more than one batch; the backlog took three of them per table.
      expect(Math.max(...batches.map(([, n]) => n))).toBe(RETENTION_BATCH_SIZE);
      for (const table of [
        'attempts',
        'webhookDeliveries',
        'auditEntries',
        'apiAccessTokens',
      ] as const) {
        expect(batches.filter(([t]) => t === table).map(([, n]) => n)).toEqual([
          RETENTION_BATCH_SIZE,
          RETENTION_BATCH_SIZE,
          BACKLOG - 2 * RETENTION_BATCH_SIZE + (table === 'apiAccessTokens' ? 1 : 0),
        ]);
      }

      const check = orm.em.fork();
      const ids = async (entity: typeof WebhookDelivery | typeof AuditEntry | typeof AuthAttempt) =>
        (await check.find(entity as typeof WebhookDelivery, {}, { fields: ['id'] }))
          .map((r) => r.id)
          .sort();
      expect(await ids(WebhookDelivery)).toEqual(keptDeliveries.map((d) => d.id).sort());
      expect(await ids(AuditEntry)).toEqual([keptAudit.id]);
      expect(await ids(AuthAttempt)).toEqual(keptAttempts.map((a) => a.id).sort());
      expect((await check.find(ConnectFlow, {})).map((f) => f.id)).toEqual([keptFlow.id]);
      expect((await check.find(ApiAccessToken, {})).map((t) => t.id)).toEqual([keptToken.id]);

      // Running again finds nothing: what is left is all inside its window.
      const again = await purgeRetained(orm.em.fork(), { clock });
      expect(Object.values(again).every((n) => n === 0)).toBe(true);
    } finally {
      await orm.close();
    }
  });

  it('follows configured windows, and leaves the rest for the next run past maxBatches', async () => {
    const orm: Orm = await openOrm(await config());
    try {
      await migrate(orm);
      const now = new Date('2026-06-01T00:00:00Z');
      const clock = new ManualClock(now);
      const audit = (days: number) => ({
        id: newId('aud_'),
        actor: 'system',
        action: 'credentials.read',
        connectionId: null,
        targetId: null,
        providerId: null,
        detail: {},
        createdAt: new Date(now.getTime() - days * DAY),
      });
      await orm.em
        .fork()
        .insertMany(AuditEntry, [...Array.from({ length: 25 }, () => audit(8)), audit(6)]);
      const windows = {
        webhookDeliveriesDays: 30,
        authAttemptsDays: 1,
        connectFlowsDays: 1,
        auditEntriesDays: 7,
      };
      const opts = { batchSize: 10, maxBatches: 2, pauseMs: 0 };
      expect((await purgeRetained(orm.em.fork(), { clock }, windows, opts)).auditEntries).toBe(20);
      expect((await purgeRetained(orm.em.fork(), { clock }, windows, opts)).auditEntries).toBe(5);
      expect(await orm.em.fork().count(AuditEntry, {})).toBe(1);
    } finally {
      await orm.close();
    }
  });
});
