import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';
import { notion } from '.';

/**
 * api.notion.com with the access token as a Bearer token and a `Notion-Version` header, which
 * every request must carry (https://developers.notion.com/reference/versioning); the proxy sends
 * the version Plugboard reads with unless the caller names its own.
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.notion.com'],
  base: endpointBase(''),
  auth: bearerAuth,
  defaultHeaders: { 'notion-version': notion.headers['notion-version']! },
};
