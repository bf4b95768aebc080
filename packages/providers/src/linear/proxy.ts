import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * The GraphQL API at api.linear.app/graphql, an OAuth token as a Bearer token
 * (https://linear.app/developers/oauth-2-0-authentication).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.linear.app'],
  base: endpointBase(''),
  auth: bearerAuth,
};
