import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * api.hubapi.com with the access token as a Bearer token
 * (https://developers.hubspot.com/docs/api/oauth-quickstart-guide).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.hubapi.com'],
  base: endpointBase(''),
  auth: bearerAuth,
};
