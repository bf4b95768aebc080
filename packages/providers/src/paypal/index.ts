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
import { siPaypal } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * Log in with PayPal's token answer
 * (https://developer.paypal.com/docs/log-in-with-paypal/integrate).
 */
const PayPalTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  scope: z.string().nullish(),
  id_token: z.string().nullish(),
  app_id: z.string().nullish(),
});

/** `userinfo?schema=paypalv1.1`: fields follow the granted scopes; the email sits in `emails[]`. */
const PayPalUserInfoSchema = z.looseObject({
  user_id: z.string(),
  name: z.string().nullish(),
  payer_id: z.string().nullish(),
  // PayPal's schema types it as a string ("true"); accept a boolean too.
  verified_account: z.union([z.boolean(), z.string()]).nullish(),
  emails: z.array(z.looseObject({ value: z.string(), primary: z.boolean().nullish() })).nullish(),
});

const endpoints = {
  // The sign-in page is on www.(sandbox.)paypal.com, the API on api-m.(sandbox.)paypal.com:
  // derived from the base URL, so a sandbox base URL moves both.
  authorize: {
    liveHost: (base: URL) => base.origin.replace('://api-m.', '://www.'),
    path: '/signin/authorize',
  },
  token: '/v1/oauth2/token',
  revoke: '/v1/oauth2/token/terminate',
  identity: '/v1/identity/oauth2/userinfo?schema=paypalv1.1',
} satisfies OAuth2Endpoints;

export const paypal: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof PayPalTokenResponseSchema>,
  Metadata
>({
  id: 'paypal',
  name: 'PayPal',
  description: 'Log in with PayPal and read the account profile.',
  color: '#003087',
  brand: brandFrom(siPaypal),
  liveBaseUrl: 'https://api-m.paypal.com',
  inputs: [],
  endpoints,
  // `openid` brings an id_token too. PayPal's discovery document
  // (https://www.paypal.com/.well-known/openid-configuration) lists HS256 beside RS256 for it,
  // and the account comes from the userinfo endpoint anyway
  // (https://developer.paypal.com/docs/log-in-with-paypal/integrate): kept, not relied on.
  idToken: {
    notVerified: 'the account is read from userinfo; PayPal may sign id_tokens with HS256',
  },
  // `openid` is mandatory; paypalattributes adds the payer id and verified status.
  scopes: ['openid', 'profile', 'email', 'https://uri.paypal.com/services/paypalattributes'],
  scopeSeparator: ' ',
  clientAuth: 'basic',
  tokenBody: 'form',
  // PayPal documents no PKCE for Log in with PayPal
  // (https://developer.paypal.com/docs/log-in-with-paypal/integrate) and ignores it.
  pkce: false,
  authorizeParams: { flowEntry: 'static' },
  headers: {},
  tokenResponse: PayPalTokenResponseSchema,
  async identify(tokens, ctx) {
    const me = await fetchIdentity(paypal, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: PayPalUserInfoSchema,
    });
    const emails = me.emails ?? [];
    const email = (emails.find((e) => e.primary) ?? emails[0])?.value ?? null;
    const verified = me.verified_account;
    const userId = lastSegment(me.user_id);
    const metadata: Metadata = {
      providerId: 'paypal',
      userId,
      payerId: me.payer_id ?? null,
      name: me.name ?? null,
      email,
      verifiedAccount:
        verified === undefined || verified === null
          ? null
          : verified === true || verified === 'true',
    };
    return {
      accountId: userId,
      label: accountLabel(me.name, email, 'PayPal account'),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Terminating the refresh token ends the whole login, not just the current access token.
    await (tokens.refreshToken
      ? revokeToken(paypal, ctx, tokens.refreshToken, { token_type_hint: 'REFRESH_TOKEN' })
      : revokeToken(paypal, ctx, tokens.accessToken, { token_type_hint: 'ACCESS_TOKEN' }));
  },
});
