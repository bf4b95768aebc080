/** The Calendly user a consent signs in as, and the organization they belong to. */
export type CalendlyAccount = {
  userUuid: string;
  organizationUuid: string;
  name: string;
  slug: string;
  email: string;
  timezone: string;
  avatarUrl: string | null;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultCalendlyAccount: CalendlyAccount = {
  userUuid: 'c41e0d1a-0ada-4c0d-9e1a-ca1000000001',
  organizationUuid: 'c41e0d1a-0ada-4c0d-9e1a-ca1000000002',
  name: 'Ada Lovelace',
  slug: 'ada-lovelace',
  email: 'ada@acme.example',
  timezone: 'Europe/London',
  avatarUrl: null,
};

/**
 * Calendly names users and organizations by URI on its API host. The mock keeps the real host in
 * these URIs because they are identifiers (clients store and compare them), not URLs to call.
 */
export const userUri = (a: CalendlyAccount) => `https://api.calendly.com/users/${a.userUuid}`;
export const organizationUri = (a: CalendlyAccount) =>
  `https://api.calendly.com/organizations/${a.organizationUuid}`;
