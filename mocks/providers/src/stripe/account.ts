/** The Stripe user a consent signs in as, and the Standard account they connect. */
export type StripeAccount = {
  /** `stripe_user_id` in the token response, `id` of the account object. */
  accountId: string;
  /** The person at the consent page (not part of the account object). */
  name: string;
  email: string;
  businessName: string;
  displayName: string;
  country: string;
  type: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  defaultCurrency: string;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultStripeAccount: StripeAccount = {
  accountId: 'acct_1AdaLovelace0001',
  name: 'Ada Lovelace',
  email: 'ada@acme.example',
  businessName: 'Acme Analytics Ltd',
  displayName: 'Acme Analytics',
  country: 'GB',
  type: 'standard',
  chargesEnabled: true,
  payoutsEnabled: true,
  defaultCurrency: 'gbp',
};
