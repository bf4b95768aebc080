import { z } from 'zod';
import { AttemptStatusSchema, ConnectionDtoSchema } from './connect';
import { AttemptIdSchema, ConnectionIdSchema, ExternalUserIdSchema } from './ids';
import { LocaleSchema } from './locale';
import { ProviderIdSchema } from './providers';
import { safeString, safeUrl } from './strings';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where redirect mode sends the browser back: https, or http on a loopback host (development). */
const redirectUrlSchema = (field: string) =>
  safeUrl({ protocol: /^https?$/, error: `${field} must be an http(s) URL`, max: 2048 }).refine(
    (u) => {
      const url = new URL(u);
      return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
    },
    `${field} must use https (http only on localhost during development)`,
  );

/** Inputs and outputs of the `server.*` router (host-app backends, API key). */
export const CreateConnectTokenInputSchema = z
  .strictObject({
    externalUserId: ExternalUserIdSchema,
    /**
     * The host pages that may embed this session: the Connect UI posts its messages only to
     * these, only they may frame it, and the redirect URLs must be on one of them.
     */
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
    /** A one-provider link: the Connect UI opens straight into this provider and offers no other. */
    providerId: ProviderIdSchema.optional(),
    /** Redirect mode: where the browser returns with `connectionId` after a connect. */
    successRedirectUrl: redirectUrlSchema('successRedirectUrl').optional(),
    /** Redirect mode: where the browser returns with `error` (a code) when a connect fails. */
    errorRedirectUrl: redirectUrlSchema('errorRedirectUrl').optional(),
    /** What the Connect UI's header shows for the user instead of the raw externalUserId. */
    endUserLabel: safeString().trim().min(1).max(100).optional(),
    /**
     * A reconnect link: the flow renews this connection of `externalUserId` (needs_reauth, or
     * new scopes), pinned to its provider and inputs; another provider account is refused with
     * RECONNECT_ACCOUNT_MISMATCH and changes nothing.
     */
    reconnectConnectionId: ConnectionIdSchema.optional(),
  })
  .superRefine((input, ctx) => {
    const origins = new Set((input.allowedOrigins ?? []).map((o) => new URL(o).origin));
    for (const field of ['successRedirectUrl', 'errorRedirectUrl'] as const) {
      const value = input[field];
      if (value === undefined || !URL.canParse(value)) continue;
      if (!origins.has(new URL(value).origin)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `${field} must be on one of allowedOrigins`,
        });
      }
    }
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

/** A further token of the same grant (Slack's bot token beside the user's), refreshed with it. */
export const AdditionalTokenDtoSchema = z.object({
  accessToken: z.string(),
  tokenType: z.string(),
  expiresAt: z.string().nullable(),
  scopes: z.array(z.string()),
});

export const CredentialsDtoSchema = z.discriminatedUnion('type', [
  CredentialsCommonSchema.extend({
    type: z.literal('oauth2'),
    /**
     * The grant's further tokens by name, where the provider issues several (Slack: `bot`, when
     * bot scopes were requested); absent otherwise. The top-level token stays the connection's
     * own (Slack's user token), so a backend that reads only `accessToken` sees no change.
     */
    additionalTokens: z.record(z.string(), AdditionalTokenDtoSchema).optional(),
  }),
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
