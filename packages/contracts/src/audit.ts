import { z } from 'zod';
import { ConnectionIdSchema } from './ids';
import { safeString } from './strings';

/**
 * What the audit log records. `credentials.read` is every `server.connections.credentials` call
 * that handed credentials out (refreshed or not); the others are changes.
 */
export const AUDIT_ACTIONS = [
  'credentials.read',
  'connection.created',
  'connection.reauthorized',
  'connection.needs_reauth',
  'connection.revoked',
  'connection.deleted',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
  'api_key.created',
  'api_key.revoked',
  'api_client.created',
  'api_client.revoked',
  'integration.updated',
  'integration.disabled',
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditActionSchema>;

/**
 * Who did it: an API key id (`key_…`, the host app's backend), `user:<externalUserId>` (an end
 * user in the Connect UI or at the provider's consent screen), or `system` (background work such
 * as a scheduled refresh).
 */
export const AuditActorSchema = safeString()
  .min(1)
  .max(300)
  .regex(
    /^((key|cli)_[A-Za-z0-9_-]{16,64}|user:.+|system)$/s,
    'must be key_…, cli_…, user:<externalUserId> or system',
  );

export const ListAuditLogInputSchema = z.strictObject({
  connectionId: ConnectionIdSchema.optional(),
  actor: AuditActorSchema.optional(),
  action: AuditActionSchema.optional(),
  limit: z.number().int().min(1).max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: safeString().max(200).optional(),
});
export type ListAuditLogInput = z.infer<typeof ListAuditLogInputSchema>;

export const AuditEntryDtoSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: AuditActionSchema,
  connectionId: z.string().nullable(),
  targetId: z.string().nullable(),
  providerId: z.string().nullable(),
  /** Flags, ids and reasons (`refreshed`, `revokedAtProvider`, `reason`, `host`); never a secret. */
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type AuditEntryDto = z.infer<typeof AuditEntryDtoSchema>;

export const ListAuditLogOutputSchema = z.object({
  items: z.array(AuditEntryDtoSchema),
  nextCursor: z.string().nullable(),
});
export type ListAuditLogOutput = z.infer<typeof ListAuditLogOutputSchema>;
