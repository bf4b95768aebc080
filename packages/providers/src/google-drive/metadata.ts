import { z } from 'zod';

/**
 * Provider-side facts about a connected GoogleDrive account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('google-drive'),
  /** Google's stable account id (`sub`). */
  sub: z.string(),
  email: z.string().nullable(),
  emailVerified: z.boolean().nullable(),
  name: z.string().nullable(),
  picture: z.string().nullable(),
  /** The Workspace domain (`hd`); null for a consumer account. */
  hostedDomain: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
