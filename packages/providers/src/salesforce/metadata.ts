import { z } from 'zod';

/**
 * Provider-side facts about a connected Salesforce account (`metadata` of its connections).
 * Imported by packages/contracts/src/metadata.generated.ts, so it stays browser-safe: zod only.
 */
export const MetadataSchema = z.object({
  providerId: z.literal('salesforce'),
  orgId: z.string(),
  userId: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  /** Where this org's REST API lives; every API call goes there, not to the login host. */
  instanceUrl: z.string(),
  /** The identity URL from the token response. */
  identityUrl: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
