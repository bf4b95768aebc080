import { z } from 'zod';

/** A Shopify store reached with a custom app's Admin API access token. */
export const MetadataSchema = z.object({
  providerId: z.literal('shopify-custom-app'),
  shop: z.string(),
  shopId: z.string(),
  shopName: z.string().nullable(),
  email: z.string().nullable(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
