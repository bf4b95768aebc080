import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * The Drive API (`/drive/v3/…`, uploads under `/upload/drive/v3/…`) on www.googleapis.com, the
 * token as a Bearer token (https://developers.google.com/workspace/drive/api/reference/rest/v3,
 * https://developers.google.com/identity/protocols/oauth2/web-server#callinganapi).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['www.googleapis.com'],
  base: endpointBase({ liveHost: 'https://www.googleapis.com', path: '' }),
  auth: bearerAuth,
};
