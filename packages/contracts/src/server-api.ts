import { z } from 'zod';
import { ExternalUserIdSchema } from './ids';

/** Inputs and outputs of the `server.*` router (host-app backends, API key). */
export const CreateConnectTokenInputSchema = z.strictObject({
  externalUserId: ExternalUserIdSchema,
  allowedOrigins: z
    .array(
      z
        .url({ protocol: /^https?$/, error: 'allowedOrigins must be http(s) origins' })
        .max(255)
        .refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'must be an origin, no path'),
    )
    .max(10)
    .optional(),
  ttlSeconds: z
    .number()
    .int()
    .min(60, 'ttlSeconds must be at least 60')
    .max(4 * 3600, 'ttlSeconds must be at most 14400 (4 hours)')
    .optional(),
});
export type CreateConnectTokenInput = z.infer<typeof CreateConnectTokenInputSchema>;

export const ConnectTokenDtoSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  connectLinkUrl: z.string(),
});
export type ConnectTokenDto = z.infer<typeof ConnectTokenDtoSchema>;
