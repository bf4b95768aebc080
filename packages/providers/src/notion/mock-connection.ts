import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'notion',
  label: `Acme Workspace (${ADA})`,
  accountId: '8d2e4f6a-0ada-4c0d-9e1a-ace000000002:5a1b7c3d-0ada-4c0d-9e1a-ace000000001',
  metadata: () => ({
    workspaceId: '8d2e4f6a-0ada-4c0d-9e1a-ace000000002',
    workspaceName: 'Acme Workspace',
    workspaceIcon: null,
    ownerUserId: '5a1b7c3d-0ada-4c0d-9e1a-ace000000001',
    ownerEmail: ADA,
    ownerName: 'Ada Lovelace',
  }),
  identity: { path: '/v1/users/me', headers: { 'notion-version': '2025-09-03' } },
  refresh: 'rotating',
};
