import { z } from 'zod';

/** A PayPal user signed in with Log in with PayPal. */
export const MetadataSchema = z.object({
  providerId: z.literal('paypal'),
  /** The last segment of PayPal's `user_id` URL. */
  userId: z.string(),
  payerId: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  verifiedAccount: z.boolean().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
