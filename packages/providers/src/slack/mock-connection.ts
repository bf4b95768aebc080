import type { MockConnection } from '../testing/mock-connection';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'slack',
  label: 'Acme (ada)',
  accountId: 'T0ACME00001:U0ADA000001',
  metadata: () => ({
    teamId: 'T0ACME00001',
    teamName: 'Acme',
    teamUrl: 'https://acme.slack.com/',
    userId: 'U0ADA000001',
    userName: 'ada',
    enterpriseId: null,
  }),
  identity: { path: '/api/auth.test', method: 'POST' },
  refresh: 'none',
};
