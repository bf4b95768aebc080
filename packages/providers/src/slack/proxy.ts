import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * Web API methods at `https://slack.com/api/<method>`, the token as a Bearer token
 * (https://docs.slack.dev/authentication/tokens, https://docs.slack.dev/apis/web-api/).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['slack.com'],
  base: endpointBase(''),
  auth: bearerAuth,
};
