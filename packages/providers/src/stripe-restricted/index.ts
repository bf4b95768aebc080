import { siStripe } from 'simple-icons';
import { z } from 'zod';
import { brandFrom } from '../brand';
import { resolveEndpoint } from '../engines/oauth2';
import { accountLabel } from '../label';
import { defineApiKeyProvider, verifyWithProvider } from '../modes/api-key/define';
import type { ApiKeyProvider } from '../types';
import type { Metadata } from './metadata';

/** `GET /v1/account` (https://docs.stripe.com/api/accounts/retrieve?api-version=2025-09-30.preview). */
const AccountSchema = z.looseObject({
  id: z.string().startsWith('acct_'),
  object: z.literal('account'),
  email: z.string().nullish(),
  business_profile: z.looseObject({ name: z.string().nullish() }).nullish(),
  settings: z
    .looseObject({ dashboard: z.looseObject({ display_name: z.string().nullish() }).nullish() })
    .nullish(),
});

/** Who the verification call's errors name. */
const PROVIDER = { id: 'stripe-restricted', name: 'Stripe' } as const;

/** See README.md in this folder for the facts and their sources. */
export const stripeRestricted: ApiKeyProvider = defineApiKeyProvider({
  id: 'stripe-restricted',
  name: 'Stripe (restricted key)',
  description: 'A Stripe account, with a restricted API key you create for this app.',
  color: '#635bff',
  brand: brandFrom(siStripe),
  liveBaseUrl: 'https://api.stripe.com',
  mockBasePath: '/stripe',
  fields: z.strictObject({
    apiKey: z
      .string()
      .trim()
      .regex(
        /^rk_(live|test)_[A-Za-z0-9]{10,247}$/,
        'a restricted key starts with rk_live_ or rk_test_',
      )
      .meta({
        label: 'Restricted key',
        help: 'In the Stripe Dashboard: Developers → API keys → Create restricted key. Give it at least Read on Account (connected_account_read).',
        placeholder: 'rk_live_…',
        secret: true,
      }),
  }),
  async verify(values, ctx) {
    const account = await verifyWithProvider(PROVIDER, ctx, {
      method: 'GET',
      url: resolveEndpoint('/v1/account', ctx.config),
      headers: { authorization: `Bearer ${values.apiKey}` },
      schema: AccountSchema,
      field: 'apiKey',
      rejected: (status) =>
        status === 403
          ? 'Stripe accepted this key but it may not read the account. Give the restricted key Read on Account, then try again.'
          : 'Stripe did not accept this key. Check that you copied the whole restricted key.',
    });
    const businessName =
      account.business_profile?.name ?? account.settings?.dashboard?.display_name ?? null;
    const metadata: Metadata = {
      providerId: 'stripe-restricted',
      accountId: account.id,
      businessName,
      email: account.email ?? null,
      livemode: values.apiKey.startsWith('rk_live_'),
    };
    return {
      accountId: account.id,
      label: accountLabel(businessName, account.email, account.id),
      metadata,
    };
  },
});
