import { z } from 'zod';
import { AttemptIdSchema, ConnectionIdSchema } from './ids';
import { ConnectionMetadataSchema } from './metadata';
import { ProviderIdSchema } from './providers';
import { ERROR_CODES } from './errors';
import { safeString } from './strings';

const ErrorCodeSchema = z.enum([...ERROR_CODES] as [string, ...string[]]);

/** Inputs of the `connect.*` router (the end user's browser). */
export const StartOAuthInputSchema = z.strictObject({
  providerId: ProviderIdSchema,
  inputs: z
    .record(safeString().max(64), safeString().trim().max(255))
    .refine((r) => Object.keys(r).length <= 8, 'at most 8 inputs')
    .optional(),
  /** Where the Connect UI returns after the result page: a path on this site. */
  returnTo: safeString()
    .max(2048)
    .regex(/^\/(?!\/)[^\s\\]*$/, 'returnTo must be a path on this site, like /settings')
    .optional(),
  /**
   * Renews this connection (one of the session user's, for this provider) instead of adding one:
   * the callback refuses another account with RECONNECT_ACCOUNT_MISMATCH and changes nothing.
   */
  reconnectConnectionId: ConnectionIdSchema.optional(),
});
export type StartOAuthInput = z.infer<typeof StartOAuthInputSchema>;

export const StartOAuthOutputSchema = z.object({
  authorizationUrl: z.string(),
  attemptId: AttemptIdSchema,
});
export type StartOAuthOutput = z.infer<typeof StartOAuthOutputSchema>;

export const AttemptGetInputSchema = z.strictObject({ attemptId: AttemptIdSchema });
export const DisconnectInputSchema = z.strictObject({ connectionId: ConnectionIdSchema });

export const ConnectionStatusSchema = z.enum(['active', 'needs_reauth', 'revoked']);

export const ConnectionDtoSchema = z.object({
  id: ConnectionIdSchema,
  providerId: ProviderIdSchema,
  providerName: z.string(),
  accountId: z.string(),
  label: z.string(),
  status: ConnectionStatusSchema,
  metadata: ConnectionMetadataSchema,
  scopes: z.array(z.string()),
  connectedAt: z.string(),
  updatedAt: z.string(),
});
export type ConnectionDto = z.infer<typeof ConnectionDtoSchema>;

export const DisconnectOutputSchema = z.object({
  connectionId: ConnectionIdSchema,
  /** False when the provider could not be reached to revoke the token (it was deleted here anyway). */
  revokedAtProvider: z.boolean(),
});
export type DisconnectOutput = z.infer<typeof DisconnectOutputSchema>;

export const AttemptStatusSchema = z.enum(['pending', 'completed', 'failed', 'expired']);

export const AttemptDtoSchema = z.object({
  id: AttemptIdSchema,
  providerId: ProviderIdSchema,
  providerName: z.string(),
  status: AttemptStatusSchema,
  error: z.object({ code: ErrorCodeSchema, message: z.string() }).nullable(),
  connection: ConnectionDtoSchema.nullable(),
  /**
   * What the user typed for the provider's inputs (Shopify's `shop`), canonical form. Not
   * secret (a provider input is never a credential), and only shown to the same user: a retry
   * starts again with them.
   */
  inputs: z.record(z.string(), z.string()),
  returnTo: z.string().nullable(),
  /** The connection this attempt renews (a Reconnect), so "Try again" renews it too. */
  reconnectConnectionId: ConnectionIdSchema.nullable(),
  createdAt: z.string(),
});
export type AttemptDto = z.infer<typeof AttemptDtoSchema>;

export const SessionDtoSchema = z.object({
  externalUserId: z.string(),
  expiresAt: z.string(),
  demo: z.boolean(),
  /** The BCP 47 tag the connect token asked for (canonical), or null: then the browser decides. */
  locale: z.string().nullable(),
  /** What the header shows for the user (the token's endUserLabel), or null: externalUserId. */
  endUserLabel: z.string().nullable(),
  /** The host pages that may embed this session (exact origins); empty: none may. */
  allowedOrigins: z.array(z.string()),
  /** A one-provider link: the only provider this session offers, or null for all. */
  providerId: ProviderIdSchema.nullable(),
  /** Redirect mode: where the browser goes back to after a connect (it adds the result). */
  successRedirectUrl: z.string().nullable(),
  errorRedirectUrl: z.string().nullable(),
  /** A reconnect link: the connection this session's flow renews (its provider is providerId). */
  reconnectConnectionId: ConnectionIdSchema.nullable(),
});
export type SessionDto = z.infer<typeof SessionDtoSchema>;
