import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'zoom',
  label: `Ada Lovelace (${ADA})`,
  accountId: 'zAdaLovelace00000000Q1',
  metadata: (mockUrl) => ({
    userId: 'zAdaLovelace00000000Q1',
    accountId: 'zAcmeAccount00000000Q2',
    email: ADA,
    name: 'Ada Lovelace',
    userType: 2,
    timezone: 'Europe/London',
    apiUrl: `${mockUrl}/zoom`,
  }),
  identity: { path: '/v2/users/me' },
  refresh: 'rotating',
};
