import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * A restricted key (`rk_…`) is sent as a Bearer token to api.stripe.com
 * (https://docs.stripe.com/api/authentication, https://docs.stripe.com/keys#limit-access).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.stripe.com'],
  base: endpointBase(''),
  auth: bearerAuth,
};
