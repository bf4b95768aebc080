import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'paypal',
  label: `Ada Lovelace (${ADA})`,
  accountId: 'ada-lovelace-0001-mock-sandbox-user',
  metadata: () => ({
    userId: 'ada-lovelace-0001-mock-sandbox-user',
    payerId: 'ADALVLC2P8Q9K',
    name: 'Ada Lovelace',
    email: ADA,
    verifiedAccount: true,
  }),
  identity: { path: '/v1/identity/oauth2/userinfo?schema=paypalv1.1' },
  refresh: 'stable',
};
