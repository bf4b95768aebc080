/** The Zoom user a consent signs in as. Field names follow `GET /v2/users/me`. */
export type ZoomAccount = {
  id: string;
  accountId: string;
  firstName: string;
  lastName: string;
  email: string;
  /** 1 basic, 2 licensed. */
  type: number;
  pmi: number;
  timezone: string;
  language: string;
  picUrl: string;
  status: string;
};

/** Fixed values, so tests and screenshots can name them. */
export const defaultZoomAccount: ZoomAccount = {
  id: 'zAdaLovelace00000000Q1',
  accountId: 'zAcmeAccount00000000Q2',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@acme.example',
  type: 2,
  pmi: 3_141_592_653,
  timezone: 'Europe/London',
  language: 'en-US',
  picUrl: 'https://example.invalid/zoom/avatar/ada.png',
  status: 'active',
};
