import { z } from 'zod';

/** A Stripe account reached with one of its restricted API keys. */
export const MetadataSchema = z.object({
  providerId: z.literal('stripe-restricted'),
  accountId: z.string(),
  businessName: z.string().nullable(),
  email: z.string().nullable(),
  livemode: z.boolean(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
