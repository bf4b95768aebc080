import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * The connected account's API on api.stripe.com (OAuth itself is on connect.stripe.com), with
 * the access token as a Bearer token (https://docs.stripe.com/api/authentication).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.stripe.com'],
  base: endpointBase({ liveHost: 'https://api.stripe.com', path: '' }),
  auth: bearerAuth,
};
