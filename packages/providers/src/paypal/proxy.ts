import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * The REST API on api-m.paypal.com (api-m.sandbox.paypal.com for the sandbox base URL), the
 * access token as a Bearer token (https://developer.paypal.com/api/rest/authentication/).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api-m.paypal.com', 'api-m.sandbox.paypal.com'],
  base: endpointBase(''),
  auth: bearerAuth,
};
