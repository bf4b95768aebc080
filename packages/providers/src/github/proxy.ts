import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * api.github.com with the token as a Bearer token; GitHub refuses requests without a
 * User-Agent and recommends its media type and API version header
 * (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.github.com'],
  base: endpointBase({ liveHost: 'https://api.github.com', path: '' }),
  auth: bearerAuth,
  defaultHeaders: {
    accept: 'application/vnd.github+json',
    'user-agent': 'Plugboard',
    'x-github-api-version': '2022-11-28',
  },
};
