import { z } from 'zod';
import {
  defineOAuth2Provider,
  fetchIdentity,
  resolveEndpoint,
  revokeToken,
} from '../engines/oauth2';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siZoom } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * Zoom's token answer (https://developers.zoom.us/docs/integrations/oauth/); `api_url` names the
 * API host to call.
 */
const ZoomTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  api_url: z.string().nullish(),
});

const ZoomUserSchema = z.looseObject({
  id: z.string(),
  account_id: z.string().nullish(),
  email: z.string().nullish(),
  display_name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  type: z.number().nullish(),
  timezone: z.string().nullish(),
});

/** Zoom's `{reason, error}` token errors. */
const ZoomErrorSchema = z.looseObject({ error: z.string(), reason: z.string().optional() });

// OAuth on zoom.us, the API on api.zoom.us.
const endpoints = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  identity: { liveHost: 'https://api.zoom.us', path: '/v2/users/me' },
} satisfies OAuth2Endpoints;

export const zoom: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof ZoomTokenResponseSchema>,
  Metadata
>({
  id: 'zoom',
  name: 'Zoom',
  description: 'Meetings and recordings of a Zoom user.',
  color: '#0b5cff',
  brand: brandFrom(siZoom),
  liveBaseUrl: 'https://zoom.us',
  inputs: [],
  endpoints,
  // Zoom scopes are chosen on the app in the Marketplace, not per request.
  scopes: [],
  scopeSeparator: ' ',
  clientAuth: 'basic',
  tokenBody: 'form',
  pkce: true,
  authorizeParams: {},
  headers: {},
  // A bad, used or expired code comes back as `invalid_request` "Invalid authorization code":
  // in RFC 6749 terms that is `invalid_grant`, and the user must start again.
  normalizeTokenResponse(res) {
    const err = ZoomErrorSchema.safeParse(res.body);
    if (
      res.status >= 400 &&
      err.success &&
      err.data.error === 'invalid_request' &&
      /authorization code/i.test(err.data.reason ?? '')
    ) {
      return { status: res.status, body: { ...err.data, error: 'invalid_grant' } };
    }
    return res;
  },
  tokenResponse: ZoomTokenResponseSchema,
  async identify(tokens, ctx) {
    const me = await fetchIdentity(zoom, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: ZoomUserSchema,
    });
    const name =
      me.display_name ?? ([me.first_name, me.last_name].filter(Boolean).join(' ') || null);
    const metadata: Metadata = {
      providerId: 'zoom',
      userId: me.id,
      accountId: me.account_id ?? null,
      email: me.email ?? null,
      name,
      userType: me.type ?? null,
      timezone: me.timezone ?? null,
      apiUrl: tokens.response.api_url ?? null,
    };
    return { accountId: me.id, label: accountLabel(name, me.email, 'Zoom user'), metadata };
  },
  async revoke(tokens, ctx) {
    // Zoom's revoke takes the access token and ends the refresh token with it.
    await revokeToken(zoom, ctx, tokens.accessToken);
  },
});
