import type { MockConnection } from '../testing/mock-connection';

const ADA = 'ada@acme.example';

/** Connecting the mock's default account (mocks/providers/README.md) yields this. */
export const mockConnection: MockConnection = {
  id: 'calendly',
  label: `Ada Lovelace (${ADA})`,
  accountId: 'c41e0d1a-0ada-4c0d-9e1a-ca1000000001',
  metadata: () => ({
    userUri: 'https://api.calendly.com/users/c41e0d1a-0ada-4c0d-9e1a-ca1000000001',
    organizationUri: 'https://api.calendly.com/organizations/c41e0d1a-0ada-4c0d-9e1a-ca1000000002',
    name: 'Ada Lovelace',
    email: ADA,
    slug: 'ada-lovelace',
    schedulingUrl: 'https://calendly.com/ada-lovelace',
    timezone: 'Europe/London',
  }),
  identity: { path: '/users/me' },
  refresh: 'rotating',
};
