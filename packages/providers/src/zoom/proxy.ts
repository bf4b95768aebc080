import { bearerAuth, namedBase, type ProxySpec } from '../proxy';

/**
 * The API cluster Zoom named in the token response's `api_url` (stored as `apiUrl`), else the
 * global api.zoom.us; the clusters are api.zoom.us and `<region><nn>api.zoom.us`
 * (https://developers.zoom.us/changelog/platform/api_url_access_token_response/). Bearer token
 * (https://developers.zoom.us/docs/api/using-zoom-apis/).
 */
export const proxy: ProxySpec = {
  kind: 'http',
  liveHosts: ['api.zoom.us', /^[a-z]{2}\d{2}api\.zoom\.us$/],
  base: namedBase((m) => (m.providerId === 'zoom' ? m.apiUrl : null), {
    liveHost: 'https://api.zoom.us',
    path: '',
  }),
  auth: bearerAuth,
};
