/** The PayPal user a consent signs in as (a sandbox personal account). */
export type PayPalAccount = {
  /** The last segment of `user_id` and the id_token's subject URL. */
  userId: string;
  payerId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  verifiedAccount: boolean;
  streetAddress: string;
  locality: string;
  region: string;
  postalCode: string;
  country: string;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultPayPalAccount: PayPalAccount = {
  userId: 'ada-lovelace-0001-mock-sandbox-user',
  payerId: 'ADALVLC2P8Q9K',
  name: 'Ada Lovelace',
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: 'ada@acme.example',
  verifiedAccount: true,
  streetAddress: '12 Analytical Row',
  locality: 'London',
  region: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

/** PayPal identifies users by URL (`user_id`, and `sub` in the id_token). */
export function userIdUrl(account: PayPalAccount): string {
  return `https://www.paypal.com/webapps/auth/identity/user/${account.userId}`;
}
