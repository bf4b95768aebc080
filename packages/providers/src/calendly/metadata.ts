import { z } from 'zod';

/**
 * Provider-side facts about a connected Calendly account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('calendly'),
  /** `https://api.calendly.com/users/<uuid>`, the id Calendly's API filters by. */
  userUri: z.string(),
  organizationUri: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  slug: z.string().nullable(),
  schedulingUrl: z.string().nullable(),
  timezone: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
