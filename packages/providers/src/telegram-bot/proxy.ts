import { endpointBase, type ProxySpec } from '../proxy';

/**
 * The Bot API takes the token in the path: `https://api.telegram.org/bot<token>/<method>`
 * (https://core.telegram.org/bots/api#making-requests). The caller's path is the method
 * (`/getMe`); the proxy puts the token before it and never logs that path.
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.telegram.org'],
  base: endpointBase(''),
  auth: (c) => ({ secretPathPrefix: `/bot${c.accessToken}` }),
};
