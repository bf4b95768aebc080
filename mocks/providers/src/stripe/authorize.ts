import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, withParams } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { StripeAccount } from './account';
import { htmlPage } from './responses';
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

/** `GET /oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<StripeAccount>,
  brand: Brand,
  stores: StripeStores,
): void {
  router.route({
    method: 'GET',
    path: '/oauth/authorize',
    endpoint: 'authorize',
    handler: async (request, reply) => {
      const params = readParams(request.query);
      const client = params.client_id === undefined ? undefined : ctx.findClient(params.client_id);
      // Until client and redirect URI are trusted, errors are pages: redirecting would make
      // the provider an open redirector.
      if (client === undefined) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Invalid client_id',
            `No application matches the supplied client identifier${params.client_id === undefined ? '' : `: ${params.client_id}`}.`,
          ),
        );
      }
      // Stripe's rule: redirect_uri is optional and defaults to the first registered URI (not
      // "the only one", as elsewhere); a named one must match a registered URI exactly.
      const redirectUri = params.redirect_uri ?? client.redirectUris[0];
      if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Invalid redirect_uri',
            `Invalid redirect URI '${redirectUri ?? ''}'. Ensure this uri exactly matches one of the URIs specified in your application settings.`,
          ),
        );
      }
      const fail = (error: string, description: string) =>
        reply.redirect(
          withParams(redirectUri, { error, error_description: description, state: params.state }),
        );
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
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        redirectUri,
        scope,
        state: params.state,
        account,
      });
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand,
          clientName: client.name,
          account: `${account.name} · ${account.email}`,
          details: [
            { label: 'Account', value: `${account.displayName} (${account.accountId})` },
            { label: 'Access', value: scope },
          ],
          permissions: PERMISSIONS[scope],
          action: `/${ctx.id}/oauth/consent`,
          pendingId,
        }),
      );
    },
  });

  router.route({
    method: 'POST',
    path: '/oauth/consent',
    endpoint: 'consent',
    handler: async (request, reply) => {
      const params = readParams(request.body);
      const pending =
        params.pending === undefined ? undefined : stores.pending.take(params.pending);
      if (pending === undefined) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Request expired',
            'This authorization request has expired or was already answered. Start again from the app.',
          ),
        );
      }
      if (params.decision === 'deny') {
        return reply.redirect(
          withParams(pending.redirectUri, {
            error: 'access_denied',
            error_description: 'The user denied your request',
            state: pending.state,
          }),
        );
      }
      if (params.decision !== 'allow') {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'Invalid decision', 'Choose Allow or Deny.'),
        );
      }
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        account: pending.account,
        scope: pending.scope,
      });
      return reply.redirect(
        withParams(pending.redirectUri, { code, scope: pending.scope, state: pending.state }),
      );
    },
  });
}
