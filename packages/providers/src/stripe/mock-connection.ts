import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'stripe',
  label: `Acme Analytics (${ADA})`,
  accountId: 'acct_1AdaLovelace0001',
  metadata: () => ({
    stripeUserId: 'acct_1AdaLovelace0001',
    displayName: 'Acme Analytics',
    businessName: 'Acme Analytics Ltd',
    email: ADA,
    country: 'GB',
    accountType: 'standard',
    chargesEnabled: true,
    livemode: false,
    scope: 'read_write',
  }),
  identity: { path: '/v1/account' },
  refresh: 'stable',
};
