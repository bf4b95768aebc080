import { bearerAuth, endpointBase, type ProxySpec } from '../proxy';

/**
 * An internal integration's secret is sent like an OAuth token, as a Bearer token
 * (https://developers.notion.com/docs/authorization#internal-integration-auth-flow-set-up), with
 * the `Notion-Version` every request needs (https://developers.notion.com/reference/versioning);
 * the default is the version this folder's verification call uses.
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.notion.com'],
  base: endpointBase(''),
  auth: bearerAuth,
  defaultHeaders: { 'notion-version': '2022-06-28' },
};
