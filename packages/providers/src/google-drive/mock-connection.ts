import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'google-drive',
  label: `Ada Lovelace (${ADA})`,
  accountId: '108000000000000000001',
  metadata: () => ({
    sub: '108000000000000000001',
    email: ADA,
    emailVerified: true,
    name: 'Ada Lovelace',
    hostedDomain: 'acme.example',
  }),
  identity: { path: '/v1/userinfo' },
  refresh: 'stable',
};
