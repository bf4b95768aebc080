import { z } from 'zod';

/**
 * A Linear user in one workspace (`metadata` of its connections), as GraphQL `viewer` and
 * `organization` return them. Imported by packages/contracts/src/metadata.generated.ts, so it
 * stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('linear'),
  userId: z.string(),
  name: z.string().nullable(),
  displayName: z.string().nullable(),
  email: z.string().nullable(),
  /** The workspace: a token is for one user in one workspace. */
  organizationId: z.string(),
  organizationName: z.string().nullable(),
  /** `linear.app/<urlKey>`. */
  urlKey: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
