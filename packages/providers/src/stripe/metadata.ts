import { z } from 'zod';

/** A Stripe Connect (Standard) account. */
export const MetadataSchema = z.object({
  providerId: z.literal('stripe'),
  /** `acct_…`, also what `Stripe-Account` headers and deauthorization take. */
  stripeUserId: z.string(),
  displayName: z.string().nullable(),
  businessName: z.string().nullable(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  accountType: z.string().nullable(),
  chargesEnabled: z.boolean().nullable(),
  livemode: z.boolean(),
  /** `read_only` or `read_write`. */
  scope: z.string().nullable(),
  publishableKey: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
