/**
 * The store owner a consent signs in as, and the shop details every store shows. The shop's
 * domain and id come from the `{shop}` in the URL, so two stores stay distinct.
 */
export type ShopifyAccount = {
  shopName: string;
  email: string;
  ownerFirstName: string;
  ownerLastName: string;
  /** The staff user id reported for online (per-user) tokens. */
  userId: number;
  countryCode: string;
  currency: string;
  ianaTimezone: string;
  planName: string;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultShopifyAccount: ShopifyAccount = {
  shopName: 'Acme Store',
  email: 'ada@acme.example',
  ownerFirstName: 'Ada',
  ownerLastName: 'Lovelace',
  userId: 70_000_000_001,
  countryCode: 'GB',
  currency: 'GBP',
  ianaTimezone: 'Europe/London',
  planName: 'partner_test',
};
