import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * The API v2 on api.calendly.com (OAuth is on auth.calendly.com), the access token as a Bearer
 * token (https://developer.calendly.com/api-docs/d7755e2f9e5fe-calendly-api).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.calendly.com'],
  base: endpointBase({ liveHost: 'https://api.calendly.com', path: '' }),
  auth: bearerAuth,
};
