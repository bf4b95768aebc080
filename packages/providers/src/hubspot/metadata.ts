import { z } from 'zod';

/**
 * Provider-side facts about a connected HubSpot account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('hubspot'),
  /** The HubSpot account (portal) id. */
  hubId: z.number(),
  hubDomain: z.string().nullable(),
  userId: z.number().nullable(),
  userEmail: z.string().nullable(),
  appId: z.number().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
