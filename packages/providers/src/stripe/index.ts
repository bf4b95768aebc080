import { PlugboardError } from '@plugboard/contracts';
import { z } from 'zod';
import {
  clientAuthenticatedRequest,
  defineOAuth2Provider,
  expectRevoked,
  fetchIdentity,
  resolveEndpoint,
} from '../engines/oauth2';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';
import { siStripe } from 'simple-icons';
import { brandFrom } from '../brand';

/**
 * stripe-node `OAuthToken`, the token answer of https://stripe.com/docs/connect/oauth-reference.
 */
const StripeTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  livemode: z.boolean().optional(),
  refresh_token: z.string().nullish(),
  stripe_publishable_key: z.string().nullish(),
  stripe_user_id: z.string(),
  scope: z.string().nullish(),
});

/** `GET /v1/account` with the connected account's token: the account itself. */
const StripeAccountSchema = z.looseObject({
  id: z.string(),
  email: z.string().nullish(),
  country: z.string().nullish(),
  type: z.string().nullish(),
  charges_enabled: z.boolean().nullish(),
  business_profile: z.looseObject({ name: z.string().nullish() }).nullish(),
  settings: z
    .looseObject({
      dashboard: z.looseObject({ display_name: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

// OAuth lives on connect.stripe.com, the account API on api.stripe.com.
const endpoints = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  revoke: '/oauth/deauthorize',
  identity: { liveHost: 'https://api.stripe.com', path: '/v1/account' },
} satisfies OAuth2Endpoints;

export const stripe: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof StripeTokenResponseSchema>,
  Metadata
>({
  id: 'stripe',
  name: 'Stripe',
  description: 'Payments, customers and payouts of a Stripe account.',
  color: '#635bff',
  brand: brandFrom(siStripe),
  liveBaseUrl: 'https://connect.stripe.com',
  inputs: [],
  endpoints,
  // One value, not a list: the platform acts on the account (payments, refunds), so read_write.
  scopes: ['read_write'],
  scopeSeparator: ' ',
  // Stripe has no client secret: the platform's secret key authenticates, as stripe-node sends it.
  clientAuth: 'secret-bearer',
  tokenBody: 'form',
  // Stripe documents no PKCE (https://stripe.com/docs/connect/oauth-reference) and ignores the
  // parameters.
  pkce: false,
  authorizeParams: {},
  headers: {},
  tokenResponse: StripeTokenResponseSchema,
  async identify(tokens, ctx) {
    const account = await fetchIdentity(stripe, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: StripeAccountSchema,
    });
    const r = tokens.response;
    const displayName = account.settings?.dashboard?.display_name ?? null;
    const businessName = account.business_profile?.name ?? null;
    const email = account.email ?? null;
    const metadata: Metadata = {
      providerId: 'stripe',
      stripeUserId: r.stripe_user_id,
      displayName,
      businessName,
      email,
      country: account.country ?? null,
      accountType: account.type ?? null,
      chargesEnabled: account.charges_enabled ?? null,
      livemode: r.livemode ?? false,
      scope: r.scope ?? null,
      publishableKey: r.stripe_publishable_key ?? null,
    };
    return {
      accountId: r.stripe_user_id,
      label: accountLabel(displayName ?? businessName, email, r.stripe_user_id),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Deauthorizing disconnects the account from the platform: every token of it stops working.
    const stripeUserId = z.object({ stripe_user_id: z.string() }).safeParse(tokens.raw);
    if (!stripeUserId.success) {
      throw new PlugboardError('PROVIDER_ERROR', 'The Stripe account id is not known.');
    }
    const { headers, body } = clientAuthenticatedRequest(stripe, ctx.config, {
      client_id: ctx.config.clientId,
      stripe_user_id: stripeUserId.data.stripe_user_id,
    });
    const res = await ctx.http.request('stripe', {
      method: 'POST',
      url: resolveEndpoint(endpoints.revoke, ctx.config),
      headers,
      body,
    });
    expectRevoked(stripe, res);
  },
});
