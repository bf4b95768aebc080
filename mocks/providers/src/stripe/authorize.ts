import { registerAuthorizeRoute, registerConsentRoute, redirectBack } from '../core/authorize';
import type { RegisteredClient } from '../core/clients';
import type { Brand } from '../core/html';
import type { RedirectUriResolution } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { StripeAccount } from './account';
import type { StripeScope, StripeStores } from './stores';

const PERMISSIONS: Record<StripeScope, string[]> = {
  read_write: [
    'View and update your account details, payments, customers and payouts',
    'Create charges and refunds on your behalf',
  ],
  read_only: ['View your account details, payments, customers and payouts'],
};

function isScope(value: string): value is StripeScope {
  return value === 'read_only' || value === 'read_write';
}

/**
 * Stripe's rule: redirect_uri is optional and defaults to the first registered URI (not "the
 * only one", as elsewhere); a named one, even an empty one, must match a registered URI exactly.
 */
function resolveStripeRedirectUri(
  client: RegisteredClient,
  requested: string | undefined,
): RedirectUriResolution {
  const redirectUri = requested ?? client.redirectUris[0];
  return redirectUri !== undefined && client.redirectUris.includes(redirectUri)
    ? { ok: true, redirectUri, sent: requested !== undefined }
    : { ok: false, reason: `Invalid redirect URI '${redirectUri ?? ''}'.` };
}

/** `GET /oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<StripeAccount>,
  brand: Brand,
  stores: StripeStores,
): void {
  registerAuthorizeRoute(router, ctx, {
    path: '/oauth/authorize',
    consentPath: '/oauth/consent',
    brand,
    pending: stores.pending,
    redirectUri: resolveStripeRedirectUri,
    unknownClient: (clientId) => ({
      status: 400,
      title: 'Invalid client_id',
      message: `No application matches the supplied client identifier${clientId === undefined ? '' : `: ${clientId}`}.`,
    }),
    badRedirectUri: ({ reason }) => ({
      status: 400,
      title: 'Invalid redirect_uri',
      message: `${reason} Ensure this uri exactly matches one of the URIs specified in your application settings.`,
    }),
    accept: ({ params, client, redirectUri }, account, { fail }) => {
      if (params.response_type === undefined) {
        return fail('invalid_request', 'No response_type provided. Use response_type=code.');
      }
      if (params.response_type !== 'code') {
        return fail(
          'unsupported_response_type',
          `Invalid response_type: ${params.response_type}. Only "code" is supported.`,
        );
      }
      // A single value, not a list; read_only is the documented default.
      const scope = params.scope ?? 'read_only';
      if (!isScope(scope)) {
        return fail('invalid_scope', `Invalid scope: ${scope}. Use read_only or read_write.`);
      }
      // stripe_landing, always_prompt, stripe_user[…] and PKCE parameters change nothing here.
      return {
        pending: { clientId: client.clientId, redirectUri, scope, state: params.state, account },
        consent: {
          account: `${account.name} · ${account.email}`,
          details: [
            { label: 'Account', value: `${account.displayName} (${account.accountId})` },
            { label: 'Access', value: scope },
          ],
          permissions: PERMISSIONS[scope],
        },
      };
    },
  });

  registerConsentRoute(router, {
    path: '/oauth/consent',
    brand,
    pending: stores.pending,
    denyParams: { error_description: 'The user denied your request' },
    onAllow: (pending, reply) => {
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        account: pending.account,
        scope: pending.scope,
      });
      return redirectBack(reply, pending, { code, scope: pending.scope });
    },
  });
}
