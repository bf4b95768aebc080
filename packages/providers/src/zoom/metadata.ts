import { z } from 'zod';

/**
 * Provider-side facts about a connected Zoom account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('zoom'),
  userId: z.string(),
  /** The Zoom account (organisation) the user belongs to. */
  accountId: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** 1 basic, 2 licensed, … */
  userType: z.number().nullable(),
  timezone: z.string().nullable(),
  /** The API host Zoom named for this token (regional deployments differ). */
  apiUrl: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
