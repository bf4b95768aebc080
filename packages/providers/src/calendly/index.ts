import { z } from 'zod';
import {
  defineOAuth2Provider,
  fetchIdentity,
  resolveEndpoint,
  revokeToken,
} from '../engines/oauth2';
import { accountLabel, lastSegment } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siCalendly } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * Calendly's token answer
 * (https://developer.calendly.com/how-to-access-calendly-data-on-behalf-of-authenticated-users):
 * `owner` is the user's URI.
 */
const CalendlyTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  owner: z.string().nullish(),
  organization: z.string().nullish(),
});

const CalendlyUserSchema = z.looseObject({
  resource: z.looseObject({
    uri: z.string(),
    name: z.string().nullish(),
    slug: z.string().nullish(),
    email: z.string().nullish(),
    scheduling_url: z.string().nullish(),
    timezone: z.string().nullish(),
    current_organization: z.string().nullish(),
  }),
});

// OAuth on auth.calendly.com, the API on api.calendly.com.
const endpoints = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  identity: { liveHost: 'https://api.calendly.com', path: '/users/me' },
} satisfies OAuth2Endpoints;

export const calendly: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof CalendlyTokenResponseSchema>,
  Metadata
>({
  id: 'calendly',
  name: 'Calendly',
  description: 'Event types and scheduled events.',
  color: '#006bff',
  brand: brandFrom(siCalendly),
  liveBaseUrl: 'https://auth.calendly.com',
  inputs: [],
  endpoints,
  // Apps created since 2026-03-03 get no access without scopes; users:read backs /users/me
  // (https://developer.calendly.com/scopes).
  scopes: ['users:read', 'event_types:read', 'scheduled_events:read'],
  scopeSeparator: ' ',
  // Web (confidential) clients authenticate with HTTP Basic.
  clientAuth: 'basic',
  tokenBody: 'form',
  // Calendly supports the code flow without PKCE but recommends PKCE with S256 for every app
  // (https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/get-oauth-authorize,
  // https://developer.calendly.com/creating-an-oauth-app), so Plugboard sends it. Its token
  // endpoint issues 8 tokens per user per minute and answers 429 with X-RateLimit-Reset, which
  // the HTTP client reads as the wait (https://developer.calendly.com/api-docs/overview/rate-limits).
  pkce: true,
  authorizeParams: {},
  headers: {},
  tokenResponse: CalendlyTokenResponseSchema,
  async identify(tokens, ctx) {
    const { resource: me } = await fetchIdentity(calendly, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: CalendlyUserSchema,
    });
    const metadata: Metadata = {
      providerId: 'calendly',
      userUri: me.uri,
      organizationUri: me.current_organization ?? tokens.response.organization ?? null,
      name: me.name ?? null,
      email: me.email ?? null,
      slug: me.slug ?? null,
      schedulingUrl: me.scheduling_url ?? null,
      timezone: me.timezone ?? null,
    };
    return {
      // The user's UUID: the URI's host is Calendly's API host, not part of the identity.
      accountId: lastSegment(me.uri),
      label: accountLabel(me.name, me.email, 'Calendly user'),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Either token ends the grant; the refresh token still works when the access token expired.
    await revokeToken(calendly, ctx, tokens.refreshToken ?? tokens.accessToken);
  },
});
