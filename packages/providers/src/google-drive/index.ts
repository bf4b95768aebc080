import { z } from 'zod';
import {
  defineOAuth2Provider,
  expectRevoked,
  fetchIdentity,
  resolveEndpoint,
} from '../engines/oauth2';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siGoogledrive } from 'simple-icons';
import { brandFrom } from '../brand';

const GoogleTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  id_token: z.string().nullish(),
  scope: z.string().nullish(),
});

/** OpenID Connect userinfo; profile and email claims follow the granted scopes. */
const GoogleUserInfoSchema = z.looseObject({
  sub: z.string(),
  email: z.string().nullish(),
  email_verified: z.boolean().nullish(),
  name: z.string().nullish(),
  picture: z.string().nullish(),
  hd: z.string().nullish(),
});

// Consent on accounts.google.com, tokens on oauth2.googleapis.com, userinfo on
// openidconnect.googleapis.com (the hosts Google's discovery document names).
const endpoints = {
  authorize: { liveHost: 'https://accounts.google.com', path: '/o/oauth2/v2/auth' },
  token: '/token',
  revoke: '/revoke',
  identity: { liveHost: 'https://openidconnect.googleapis.com', path: '/v1/userinfo' },
} satisfies OAuth2Endpoints;

export const googleDrive: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof GoogleTokenResponseSchema>,
  Metadata
>({
  id: 'google-drive',
  name: 'Google Drive',
  description: 'Files and folders in Google Drive.',
  color: '#1a73e8',
  brand: brandFrom(siGoogledrive),
  liveBaseUrl: 'https://oauth2.googleapis.com',
  inputs: [],
  endpoints,
  // `openid` (a default scope) brings an id_token: RS256, keys at
  // https://www.googleapis.com/oauth2/v3/certs, `iss` https://accounts.google.com or
  // accounts.google.com, `aud` the client id
  // (https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken).
  idToken: {
    jwks: { liveHost: 'https://www.googleapis.com', path: '/oauth2/v3/certs' },
    issuer: { liveHost: 'https://accounts.google.com', path: '' },
    liveIssuerAliases: ['accounts.google.com'],
  },
  scopes: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/drive.readonly'],
  scopeSeparator: ' ',
  clientAuth: 'body',
  tokenBody: 'form',
  pkce: true,
  // A refresh token only comes with offline access, and only on a consent screen that was shown:
  // prompt=consent makes a reconnect return one too.
  authorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
  headers: {},
  tokenResponse: GoogleTokenResponseSchema,
  async identify(tokens, ctx) {
    const me = await fetchIdentity(googleDrive, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: GoogleUserInfoSchema,
    });
    const metadata: Metadata = {
      providerId: 'google-drive',
      sub: me.sub,
      email: me.email ?? null,
      emailVerified: me.email_verified ?? null,
      name: me.name ?? null,
      picture: me.picture ?? null,
      hostedDomain: me.hd ?? null,
    };
    // `sub` is Google's stable id; an email can change hands.
    return {
      accountId: me.sub,
      label: accountLabel(me.name, me.email, 'Google account'),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Either token ends the grant; Google's revoke takes no client authentication.
    const res = await ctx.http.request('google-drive', {
      method: 'POST',
      url: resolveEndpoint(endpoints.revoke, ctx.config),
      body: { form: { token: tokens.refreshToken ?? tokens.accessToken } },
    });
    expectRevoked(googleDrive, res);
  },
});
