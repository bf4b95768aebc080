import { PlugboardError } from '@plugboard/contracts';
import { siLinear } from 'simple-icons';
import { z } from 'zod';
import { brandFrom } from '../brand';
import { defineOAuth2Provider, expectRevoked, resolveEndpoint } from '../engines/oauth2';
import { accountLabel } from '../label';
import type { OAuth2Endpoints, OAuth2Provider } from '../types';
import type { Metadata } from './metadata';

/**
 * Linear OAuth 2.0 (https://linear.app/developers/oauth-2-0-authentication): consent on
 * linear.app, token, refresh and revoke on api.linear.app, and the account from the GraphQL API
 * (https://linear.app/developers/graphql). Facts and choices: ./README.md.
 */
const LinearTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
});

const ViewerQuery =
  'query { viewer { id name displayName email } organization { id name urlKey } }';

const ViewerAnswerSchema = z.looseObject({
  data: z.looseObject({
    viewer: z.looseObject({
      id: z.string(),
      name: z.string().nullish(),
      displayName: z.string().nullish(),
      email: z.string().nullish(),
    }),
    organization: z.looseObject({
      id: z.string(),
      name: z.string().nullish(),
      urlKey: z.string().nullish(),
    }),
  }),
});

// Consent on linear.app; token, revoke and the GraphQL API on api.linear.app (the base URL).
const endpoints = {
  authorize: { liveHost: 'https://linear.app', path: '/oauth/authorize' },
  token: '/oauth/token',
  revoke: '/oauth/revoke',
  identity: '/graphql',
} satisfies OAuth2Endpoints;

export const linear: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof LinearTokenResponseSchema>,
  Metadata
>({
  id: 'linear',
  name: 'Linear',
  description: 'Issues, projects and cycles of a Linear workspace.',
  color: '#5e6ad2',
  brand: brandFrom(siLinear),
  liveBaseUrl: 'https://api.linear.app',
  inputs: [],
  endpoints,
  // `read` is always granted; Linear's scopes are comma-separated.
  scopes: ['read'],
  scopeSeparator: ',',
  // Documented: client_id and client_secret in the form body.
  clientAuth: 'body',
  tokenBody: 'form',
  pkce: true,
  authorizeParams: {},
  headers: {},
  tokenResponse: LinearTokenResponseSchema,
  async identify(tokens, ctx) {
    const res = await ctx.http.request('linear', {
      method: 'POST',
      url: resolveEndpoint(endpoints.identity, ctx.config),
      headers: { authorization: `Bearer ${tokens.accessToken}` },
      body: { json: { query: ViewerQuery } },
    });
    const answer = ViewerAnswerSchema.safeParse(res.body);
    if (res.status !== 200 || !answer.success) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        `Linear did not return the connected account (HTTP ${res.status}). Start connecting again.`,
      );
    }
    const { viewer, organization } = answer.data.data;
    const metadata: Metadata = {
      providerId: 'linear',
      userId: viewer.id,
      name: viewer.name ?? null,
      displayName: viewer.displayName ?? null,
      email: viewer.email ?? null,
      organizationId: organization.id,
      organizationName: organization.name ?? null,
      urlKey: organization.urlKey ?? null,
    };
    return {
      // One connection per Linear user and workspace.
      accountId: `${organization.id}:${viewer.id}`,
      label: accountLabel(organization.name, viewer.email, 'Linear workspace'),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Documented: the access token to revoke goes in the Authorization header.
    const res = await ctx.http.request('linear', {
      method: 'POST',
      url: resolveEndpoint(endpoints.revoke, ctx.config),
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expectRevoked(linear, res);
  },
});
