import { z } from 'zod';
import { ConnectionIdSchema } from './ids';
import { ProviderIdSchema } from './providers';
import { safeString } from './strings';

/**
 * `connect.apiKey.connect`: the fields an `api_key` provider declares (its `inputs` in
 * `providers.list`), as the user typed them. Each provider checks their form and the provider
 * verifies them before anything is stored.
 */
export const ApiKeyConnectInputSchema = z.strictObject({
  providerId: ProviderIdSchema,
  values: z
    .record(safeString().max(64), safeString().max(4096))
    .refine((r) => Object.keys(r).length <= 8, 'at most 8 values'),
  /** Renews this connection (one of the session user's, for this provider) instead of adding one. */
  reconnectConnectionId: ConnectionIdSchema.optional(),
});
export type ApiKeyConnectInput = z.infer<typeof ApiKeyConnectInputSchema>;

export const ApiKeyConnectOutputSchema = z.object({
  connectionId: ConnectionIdSchema,
  providerId: ProviderIdSchema,
  accountLabel: z.string(),
});
export type ApiKeyConnectOutput = z.infer<typeof ApiKeyConnectOutputSchema>;
