import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'salesforce',
  label: `Ada Lovelace (${ADA})`,
  accountId: '00DAC000000ACME001:005AC000000ADA0001',
  metadata: (mockUrl) => ({
    orgId: '00DAC000000ACME001',
    userId: '005AC000000ADA0001',
    username: ADA,
    email: ADA,
    name: 'Ada Lovelace',
    instanceUrl: `${mockUrl}/salesforce`,
    identityUrl: `${mockUrl}/salesforce/id/00DAC000000ACME001/005AC000000ADA0001`,
  }),
  identity: { path: '/services/oauth2/userinfo' },
  refresh: 'stable',
};
