import { z } from 'zod';
import { AttemptStatusSchema, ConnectionDtoSchema } from './connect';
import { AttemptIdSchema, ConnectionIdSchema, ExternalUserIdSchema } from './ids';
import { LocaleSchema } from './locale';
import { ProviderIdSchema } from './providers';
import { safeString, safeUrl } from './strings';

/** Inputs and outputs of the `server.*` router (host-app backends, API key). */
export const CreateConnectTokenInputSchema = z.strictObject({
  externalUserId: ExternalUserIdSchema,
  allowedOrigins: z
    .array(
      safeUrl({
        protocol: /^https?$/,
        error: 'allowedOrigins must be http(s) origins',
        max: 255,
      }).refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'must be an origin, no path'),
    )
    .max(10)
    .optional(),
  ttlSeconds: z
    .number()
    .int()
    .min(60, 'ttlSeconds must be at least 60')
    .max(4 * 3600, 'ttlSeconds must be at most 14400 (4 hours)')
    .optional(),
  /** The end user's language for the Connect UI; without it the browser's languages decide. */
  locale: LocaleSchema.optional(),
});
export type CreateConnectTokenInput = z.infer<typeof CreateConnectTokenInputSchema>;

export const ConnectTokenDtoSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  connectLinkUrl: z.string(),
});
export type ConnectTokenDto = z.infer<typeof ConnectTokenDtoSchema>;

/** A connection as a host-app backend sees it: also says whose it is. */
export const ServerConnectionDtoSchema = ConnectionDtoSchema.extend({
  externalUserId: z.string(),
});
export type ServerConnectionDto = z.infer<typeof ServerConnectionDtoSchema>;

export const ListConnectionsInputSchema = z.strictObject({
  externalUserId: ExternalUserIdSchema.optional(),
  providerId: ProviderIdSchema.optional(),
  limit: z.number().int().min(1).max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: safeString().max(200).optional(),
});
export type ListConnectionsInput = z.infer<typeof ListConnectionsInputSchema>;

export const ListConnectionsOutputSchema = z.object({
  items: z.array(ServerConnectionDtoSchema),
  nextCursor: z.string().nullable(),
});
export type ListConnectionsOutput = z.infer<typeof ListConnectionsOutputSchema>;

export const ConnectionRefInputSchema = z.strictObject({ connectionId: ConnectionIdSchema });

export const CredentialsInputSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  /** Refresh even if the access token is not due yet (e.g. the provider just answered 401). */
  forceRefresh: z.boolean().optional(),
});
export type CredentialsInput = z.infer<typeof CredentialsInputSchema>;

/**
 * What a backend needs to call the provider, by auth mode (`type` discriminates). Every mode
 * also fills the common fields, so a backend that only needs "the secret to send" reads
 * `accessToken` whatever the mode. The refresh token never leaves Plugboard.
 */
const CredentialsCommonSchema = z.object({
  connectionId: ConnectionIdSchema,
  providerId: ProviderIdSchema,
  /** oauth2: the access token; telegram: the session string; api_key: the secret field's value. */
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: z.string().nullable(),
  scopes: z.array(z.string()),
  /** True when this call refreshed the token at the provider. */
  refreshed: z.boolean(),
});

export const CredentialsDtoSchema = z.discriminatedUnion('type', [
  CredentialsCommonSchema.extend({ type: z.literal('oauth2') }),
  /** A Telegram user account: the MTProto session string (a gramjs StringSession). */
  CredentialsCommonSchema.extend({ type: z.literal('telegram'), session: z.string() }),
  /** An API key / bot token connection: every field the user typed, secret ones included. */
  CredentialsCommonSchema.extend({
    type: z.literal('api_key'),
    values: z.record(z.string(), z.string()),
  }),
]);
export type CredentialsDto = z.infer<typeof CredentialsDtoSchema>;

/** Headless OAuth (the Alloy model): the host's backend starts, the user's browser does the rest. */
export const ServerStartOAuthInputSchema = z.strictObject({
  providerId: ProviderIdSchema,
  externalUserId: ExternalUserIdSchema,
  /** Where the browser returns when done, with `attempt` and `status` (and `error`) added. */
  redirectUrl: safeUrl({
    protocol: /^https?$/,
    error: 'redirectUrl must be an http(s) URL',
    max: 2048,
  }),
  inputs: z
    .record(safeString().max(64), safeString().trim().max(255))
    .refine((r) => Object.keys(r).length <= 8, 'at most 8 inputs')
    .optional(),
});
export type ServerStartOAuthInput = z.infer<typeof ServerStartOAuthInputSchema>;

export const CompleteOAuthInputSchema = z.strictObject({ attemptId: AttemptIdSchema });

export const CompleteOAuthOutputSchema = z.object({
  attemptId: AttemptIdSchema,
  status: AttemptStatusSchema,
  connectionId: ConnectionIdSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type CompleteOAuthOutput = z.infer<typeof CompleteOAuthOutputSchema>;
