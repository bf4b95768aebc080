import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'github',
  label: 'ada-lovelace',
  accountId: '1000001',
  metadata: () => ({
    userId: 1_000_001,
    login: 'ada-lovelace',
    name: 'Ada Lovelace',
    email: ADA,
  }),
  identity: { path: '/user', headers: { 'user-agent': 'plugboard-test' } },
  refresh: 'none',
};
