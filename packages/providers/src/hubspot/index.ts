import { PlugboardError } from '@plugboard/contracts';
import { z } from 'zod';
import {
  clientAuthenticatedRequest,
  defineOAuth2Provider,
  resolveEndpoint,
  revokeToken,
} from '../engines/oauth2';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siHubspot } from 'simple-icons';
import { brandFrom } from '../brand';

const HubSpotTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
});

/** Introspection of the access token: which hub (account) and user it belongs to. */
const HubSpotTokenInfoSchema = z.looseObject({
  active: z.literal(true),
  user: z.string().nullish(),
  user_id: z.number().nullish(),
  hub_id: z.number(),
  hub_domain: z.string().nullish(),
  app_id: z.number().nullish(),
});

/** HubSpot's `{status, message}` errors (the 2026-03 API adds RFC 6749 `error` beside them). */
const HubSpotErrorSchema = z.looseObject({ status: z.string(), message: z.string().optional() });

/** HubSpot's error statuses in RFC 6749 terms. */
const RFC_ERRORS: Record<string, string> = {
  BAD_AUTH_CODE: 'invalid_grant',
  BAD_REFRESH_TOKEN: 'invalid_grant',
  MISMATCH_REDIRECT_URI_AUTH_CODE: 'invalid_grant',
  BAD_CLIENT_ID: 'invalid_client',
  BAD_CLIENT_SECRET: 'invalid_client',
};

// Consent on app.hubspot.com, everything else on api.hubapi.com. The dated 2026-03 API, with
// every token and secret in the form body; the v1 endpoints stop on 2027-02-16
// (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide).
const endpoints = {
  authorize: { liveHost: 'https://app.hubspot.com', path: '/oauth/authorize' },
  token: '/oauth/2026-03/token',
  revoke: '/oauth/2026-03/token/revoke',
  identity: '/oauth/2026-03/token/introspect',
} satisfies OAuth2Endpoints;

export const hubspot: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof HubSpotTokenResponseSchema>,
  Metadata
>({
  id: 'hubspot',
  name: 'HubSpot',
  description: 'Contacts, companies and deals in HubSpot CRM.',
  color: '#ff7a59',
  brand: brandFrom(siHubspot),
  liveBaseUrl: 'https://api.hubapi.com',
  inputs: [],
  endpoints,
  scopes: [
    'oauth',
    'crm.objects.contacts.read',
    'crm.objects.companies.read',
    'crm.objects.deals.read',
  ],
  scopeSeparator: ' ',
  // HubSpot reads client credentials from the form body only.
  clientAuth: 'body',
  tokenBody: 'form',
  // HubSpot's public-app OAuth has no PKCE; the parameters are ignored.
  pkce: false,
  authorizeParams: {},
  headers: {},
  normalizeTokenResponse(res) {
    const err = HubSpotErrorSchema.safeParse(res.body);
    if (res.status < 400 || !err.success) return res;
    // An RFC 6749 `error` is read as it is; only a bare `{status, message}` needs mapping.
    if (typeof err.data.error === 'string') return res;
    const error = RFC_ERRORS[err.data.status] ?? err.data.status;
    return { status: res.status, body: { error, error_description: err.data.message } };
  },
  tokenResponse: HubSpotTokenResponseSchema,
  async identify(tokens, ctx) {
    // POST with the app's credentials and the token in the body (no secret in the path).
    const { headers, body } = clientAuthenticatedRequest(hubspot, ctx.config, {
      token: tokens.accessToken,
      token_type_hint: 'access_token',
    });
    const res = await ctx.http.request('hubspot', {
      operation: 'identity',
      method: 'POST',
      url: resolveEndpoint(endpoints.identity, ctx.config),
      headers,
      body,
    });
    const parsed = HubSpotTokenInfoSchema.safeParse(res.body);
    if (res.status !== 200 || !parsed.success) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        `HubSpot did not return the connected account (HTTP ${res.status}). Start connecting again.`,
      );
    }
    const info = parsed.data;
    const metadata: Metadata = {
      providerId: 'hubspot',
      hubId: info.hub_id,
      hubDomain: info.hub_domain ?? null,
      userId: info.user_id ?? null,
      userEmail: info.user ?? null,
      appId: info.app_id ?? null,
    };
    return {
      // The hub is the HubSpot account; two users of one hub are two connections.
      accountId: `${info.hub_id}:${info.user_id ?? info.user ?? ''}`,
      label: accountLabel(info.hub_domain, info.user, `HubSpot ${info.hub_id}`),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Deleting the refresh token ends the grant; an access token alone lapses in 30 minutes.
    if (!tokens.refreshToken) return;
    await revokeToken(hubspot, ctx, tokens.refreshToken, { token_type_hint: 'refresh_token' });
  },
});
