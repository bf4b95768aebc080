import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * One line of the append-only audit log: who (`actor`: an API key id `key_…`, `user:<external
 * user id>` for an end user in the Connect UI, or `system` for background work) did what
 * (`action`, e.g. `credentials.read`) to which connection or other object. Rows are only ever
 * inserted (and removed by retention); `detail` holds ids, flags and codes — never a secret.
 * The indexes serve `server.auditLog.list` (newest first, optionally by connection, actor or
 * action) and the retention purge (by `createdAt`).
 */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  indexes: [
    { properties: ['createdAt', 'id'] },
    { properties: ['connectionId', 'createdAt'] },
    { properties: ['actor', 'createdAt'] },
    { properties: ['action', 'createdAt'] },
  ],
  properties: {
    id: p.string().primary().length(40),
    actor: p.string().length(300),
    action: p.string().length(60),
    connectionId: p.string().length(40).nullable(),
    /** The other object acted on, when it is not a connection (a webhook endpoint `whe_…`). */
    targetId: p.string().length(40).nullable(),
    providerId: p.string().length(40).nullable(),
    detail: p.json<Record<string, string | number | boolean | null>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type AuditEntry = InferEntity<typeof AuditEntry>;
