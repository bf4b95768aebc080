import { bearerAuth, namedBase, type ProxySpec } from '../proxy';

/**
 * Every API call goes to the org's `instance_url` from the token response (stored as
 * `instanceUrl`), never to the login host, with the access token as a Bearer token
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/quickstart_oauth.htm).
 * Instances are `*.salesforce.com` hosts (My Domain `*.my.salesforce.com`, sandboxes
 * `*.sandbox.my.salesforce.com`).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: [/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.salesforce\.com$/],
  base: namedBase((m) => (m.providerId === 'salesforce' ? m.instanceUrl : null), ''),
  auth: bearerAuth,
};
