import { PlugboardError } from '@plugboard/contracts';
import { createHmac, timingSafeEqual } from 'node:crypto';
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

/** No `expires_in` (the org's session timeout decides); `instance_url` is where the API is. */
const SalesforceTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  instance_url: z.string(),
  id: z.string(),
  issued_at: z.string(),
  signature: z.string(),
});

const SalesforceUserInfoSchema = z.looseObject({
  user_id: z.string(),
  organization_id: z.string(),
  preferred_username: z.string().nullish(),
  email: z.string().nullish(),
  name: z.string().nullish(),
});

// All on the login host (login.salesforce.com; test.salesforce.com for sandboxes via the base
// URL); only API calls go to the org's instance_url.
const endpoints = {
  authorize: '/services/oauth2/authorize',
  token: '/services/oauth2/token',
  revoke: '/services/oauth2/revoke',
  identity: '/services/oauth2/userinfo',
} satisfies OAuth2Endpoints;

/**
 * RFC 7662 introspection with the app's credentials; `exp` is the access token's expiry, which
 * token answers never carry (the org's session timeout decides)
 * (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm&type=5).
 */
const INTROSPECT = '/services/oauth2/introspect';
const IntrospectionSchema = z.looseObject({
  active: z.boolean(),
  exp: z.number().nullish(),
});

/**
 * Salesforce signs `id + issued_at` with the consumer secret so a client can tell the identity
 * URL was not swapped in transit; a mismatch means the answer is not to be trusted.
 */
function signatureValid(secret: string, r: { id: string; issued_at: string; signature: string }) {
  const expected = createHmac('sha256', secret)
    .update(r.id + r.issued_at)
    .digest();
  const given = Buffer.from(r.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const salesforce: OAuth2Provider = defineOAuth2Provider<
  z.infer<typeof SalesforceTokenResponseSchema>,
  Metadata
>({
  id: 'salesforce',
  name: 'Salesforce',
  description: 'Accounts, contacts and opportunities in Salesforce.',
  color: '#00a1e0',
  liveBaseUrl: 'https://login.salesforce.com',
  inputs: [],
  endpoints,
  // `refresh_token` is what makes Salesforce issue one; `id` allows the identity endpoints.
  scopes: ['api', 'refresh_token', 'id'],
  scopeSeparator: ' ',
  clientAuth: 'body',
  tokenBody: 'form',
  pkce: true,
  authorizeParams: {},
  headers: {},
  tokenResponse: SalesforceTokenResponseSchema,
  // With `openid` among the scopes the code exchange also answers with an id_token, an RS256
  // JWT signed with the keys at `/id/keys` on the login host, `iss` that host, `aud` the
  // consumer key, `sub` the identity URL
  // (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_openid.htm&type=5):
  // verified before the connection is stored.
  idToken: { jwks: '/id/keys', issuer: '' },
  // Refresh token rotation, where the org turns it on for the app, needs nothing here: the
  // refresh answer then carries the new refresh token and the engine stores it
  // (https://help.salesforce.com/s/articleView?id=xcloud.connected_app_refresh_token_rotation.htm&type=5).
  async tokenExpiry(tokens, ctx) {
    const { headers, body } = clientAuthenticatedRequest(salesforce, ctx.config, {
      token: tokens.accessToken,
      token_type_hint: 'access_token',
    });
    const res = await ctx.http.request('salesforce', {
      operation: 'identity',
      method: 'POST',
      url: resolveEndpoint(INTROSPECT, ctx.config),
      headers,
      body,
    });
    const parsed = IntrospectionSchema.safeParse(res.body);
    // No answer to go by: the expiry stays unknown and a 401 will tell (never a guess).
    if (res.status !== 200 || !parsed.success || !parsed.data.active || !parsed.data.exp) {
      return null;
    }
    return new Date(parsed.data.exp * 1000);
  },
  async identify(tokens, ctx) {
    const r = tokens.response;
    if (!signatureValid(ctx.config.clientSecret, r)) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        'Salesforce answered with a token response whose signature does not match. Start connecting again.',
      );
    }
    const me = await fetchIdentity(salesforce, ctx, {
      url: resolveEndpoint(endpoints.identity, ctx.config),
      accessToken: tokens.accessToken,
      schema: SalesforceUserInfoSchema,
    });
    const metadata: Metadata = {
      providerId: 'salesforce',
      orgId: me.organization_id,
      userId: me.user_id,
      username: me.preferred_username ?? null,
      email: me.email ?? null,
      name: me.name ?? null,
      instanceUrl: r.instance_url,
      identityUrl: r.id,
    };
    return {
      // Org + user, as Salesforce's identity URL names an account.
      accountId: `${me.organization_id}:${me.user_id}`,
      label: accountLabel(me.name, me.preferred_username ?? me.email, 'Salesforce user'),
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    // Revoking the refresh token also ends the sessions (access tokens) it created.
    const res = await ctx.http.request('salesforce', {
      method: 'POST',
      url: resolveEndpoint(endpoints.revoke, ctx.config),
      body: { form: { token: tokens.refreshToken ?? tokens.accessToken } },
    });
    expectRevoked(salesforce, res);
  },
});
