import { z } from 'zod';

/**
 * Provider-side facts about a connected Slack account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('slack'),
  teamId: z.string(),
  teamName: z.string().nullable(),
  teamUrl: z.string().nullable(),
  userId: z.string(),
  userName: z.string().nullable(),
  enterpriseId: z.string().nullable(),
  appId: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
