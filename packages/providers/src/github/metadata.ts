import { z } from 'zod';

/**
 * Provider-side facts about a connected GitHub account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('github'),
  userId: z.number(),
  login: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  htmlUrl: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
