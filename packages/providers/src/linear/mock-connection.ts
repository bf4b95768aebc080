import type { MockConnection } from '../testing/mock-connection';

/** Connecting the mock's default account (mocks/providers/src/linear/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'linear',
  label: 'Acme (ada@acme.example)',
  accountId: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000002:2f1e0d1a-0ada-4c0d-9e1a-11ea00000001',
  metadata: () => ({
    userId: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000001',
    name: 'Ada Lovelace',
    displayName: 'ada',
    email: 'ada@acme.example',
    organizationId: '2f1e0d1a-0ada-4c0d-9e1a-11ea00000002',
    organizationName: 'Acme',
    urlKey: 'acme',
  }),
  identity: { path: '/graphql', method: 'POST', json: { query: '{ viewer { id } }' } },
  refresh: 'rotating',
};
