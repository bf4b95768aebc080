import { z } from 'zod';

/** A Shopify store that installed the app (an offline, shop-level grant). */
export const MetadataSchema = z.object({
  providerId: z.literal('shopify'),
  /** `<handle>.myshopify.com`: the store's permanent host, where every API call goes. */
  shop: z.string(),
  shopId: z.number(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  /** The store's primary (possibly custom) domain. */
  domain: z.string().nullable(),
  shopOwner: z.string().nullable(),
  countryCode: z.string().nullable(),
  currency: z.string().nullable(),
  timezone: z.string().nullable(),
  planName: z.string().nullable(),
  /**
   * The Admin API version the connection's calls use (shopify/api-versions.ts): what Shopify
   * served at connect time. Absent on connections made before Plugboard recorded it.
   */
  apiVersion: z.string().optional(),
});
export type Metadata = z.infer<typeof MetadataSchema>;
