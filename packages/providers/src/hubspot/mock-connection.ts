import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'hubspot',
  label: `acme.example (${ADA})`,
  accountId: '4000001:2000001',
  metadata: () => ({
    hubId: 4_000_001,
    hubDomain: 'acme.example',
    userId: 2_000_001,
    userEmail: ADA,
  }),
  identity: { path: '/account-info/v3/details' },
  refresh: 'stable',
};
