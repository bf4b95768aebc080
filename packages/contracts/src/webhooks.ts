import { z } from 'zod';
import { safeString, safeUrl } from './strings';

/** Events Plugboard sends to a host app's webhook endpoints (Standard Webhooks format). */
export const WEBHOOK_EVENT_TYPES = [
  'connection.created',
  'connection.updated',
  'connection.deleted',
  'connection.refresh_failed',
  /** The provider revoked access (uninstall, deauthorization); `data.reason` says which. */
  'connection.revoked',
] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

/** Why a provider revoked a connection (`connection.revoked`'s `data.reason`). */
export const REVOCATION_REASONS = [
  /** Shopify `app/uninstalled`, Slack `app_uninstalled`. */
  'app_uninstalled',
  /** Stripe `account.application.deauthorized`. */
  'account_deauthorized',
  /** Slack `tokens_revoked`. */
  'tokens_revoked',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** The `data` of every connection event. Never a token or secret. */
export const ConnectionEventDataSchema = z.object({
  connectionId: z.string(),
  providerId: z.string(),
  externalUserId: z.string(),
  accountId: z.string(),
  label: z.string(),
  status: z.string(),
  /**
   * Why it happened: on `connection.updated`, `reauthorized` (the account connected again, or a
   * Reconnect); on `connection.revoked`, what the provider reported (REVOCATION_REASONS).
   */
  reason: z.string().optional(),
});
export type ConnectionEventData = z.infer<typeof ConnectionEventDataSchema>;

export const WebhookIdSchema = safeString().regex(
  /^whe_[A-Za-z0-9_-]{16,64}$/,
  'must look like whe_…',
);

export const CreateWebhookInputSchema = z.strictObject({
  url: safeUrl({ protocol: /^https?$/, error: 'url must be an http(s) URL', max: 2048 }),
  /** Only these event types; omitted or empty = all. */
  events: z.array(WebhookEventTypeSchema).max(WEBHOOK_EVENT_TYPES.length).optional(),
});
export type CreateWebhookInput = z.infer<typeof CreateWebhookInputSchema>;

export const WebhookEndpointDtoSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventTypeSchema),
  createdAt: z.string(),
});
export type WebhookEndpointDto = z.infer<typeof WebhookEndpointDtoSchema>;

/** Returned once, at creation: the `whsec_…` secret to verify signatures with. */
export const CreatedWebhookDtoSchema = WebhookEndpointDtoSchema.extend({ secret: z.string() });
export type CreatedWebhookDto = z.infer<typeof CreatedWebhookDtoSchema>;

export const WebhookRefInputSchema = z.strictObject({ id: WebhookIdSchema });

export const ListDeliveriesInputSchema = z.strictObject({
  endpointId: WebhookIdSchema.optional(),
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

export const WebhookDeliveryDtoSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  endpointId: z.string(),
  eventType: WebhookEventTypeSchema,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDeliveryDto = z.infer<typeof WebhookDeliveryDtoSchema>;
