import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, resolveRedirectUri, withParams } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { PayPalAccount } from './account';
import { htmlPage } from './responses';
import { PAYPALATTRIBUTES } from './stores';
import type { PayPalStores } from './stores';

/** What each Log in with PayPal scope shares, in the words of PayPal's reference table. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Sign you in with your PayPal account',
  profile: 'Full name',
  email: 'Email address',
  address: 'Street address, city, state, country and zip code',
  phone: 'Phone number',
  [PAYPALATTRIBUTES]: 'Account verification status and PayPal account ID (payer ID)',
};

/** Known OIDC scopes, plus PayPal's `https://uri.paypal.com/services/…` family. */
function isKnownScope(scope: string): boolean {
  return scope in SCOPE_TEXT || scope.startsWith('https://uri.paypal.com/services/');
}

/**
 * PayPal's consent-denied redirect, byte for byte: `error_uri` first, spaces as `%20` (not the
 * `+` URLSearchParams would write), then `error` and `state`.
 */
function denialUrl(redirectUri: string, state: string | undefined): string {
  const parts = [
    `error_uri=${encodeURIComponent(redirectUri)}`,
    'error_description=Consent%20denied',
    'error=access_denied',
    ...(state === undefined ? [] : [`state=${encodeURIComponent(state)}`]),
  ];
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${parts.join('&')}`;
}

/** `GET /signin/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<PayPalAccount>,
  brand: Brand,
  stores: PayPalStores,
): void {
  router.route({
    method: 'GET',
    path: '/signin/authorize',
    endpoint: 'authorize',
    handler: async (request, reply) => {
      const params = readParams(request.query);
      const client = params.client_id === undefined ? undefined : ctx.findClient(params.client_id);
      const redirect =
        client === undefined ? undefined : resolveRedirectUri(client, params.redirect_uri);
      // PayPal's one page for both: "invalid client_id or redirect_uri", never a redirect.
      if (client === undefined || redirect === undefined || !redirect.ok) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Something went wrong',
            'Sorry, we cannot connect you: invalid client_id or redirect_uri.',
          ),
        );
      }
      const fail = (error: string, description: string) =>
        reply.redirect(
          withParams(redirect.redirectUri, {
            error,
            error_description: description,
            state: params.state,
          }),
        );
      if (params.response_type !== 'code') {
        return fail('unsupported_response_type', 'response_type must be code.');
      }
      const scopes = [...new Set((params.scope ?? '').split(' ').filter((s) => s !== ''))];
      if (!scopes.includes('openid')) {
        return fail('invalid_scope', 'The scope must include openid.');
      }
      const unknown = scopes.filter((s) => !isKnownScope(s));
      if (unknown.length > 0) {
        return fail('invalid_scope', `Invalid scope: ${unknown.join(' ')}`);
      }
      // flowEntry, fullPage and PKCE parameters do not change the flow here.
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        redirectUri: redirect.redirectUri,
        scopes,
        state: params.state,
        nonce: params.nonce,
        account,
      });
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand,
          clientName: client.name,
          account: `${account.name} · ${account.email}`,
          permissions: scopes.map((s) => SCOPE_TEXT[s] ?? s),
          action: `/${ctx.id}/signin/consent`,
          pendingId,
        }),
      );
    },
  });

  router.route({
    method: 'POST',
    path: '/signin/consent',
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
            'Session expired',
            'This login request has expired or was already answered. Start again from the app.',
          ),
        );
      }
      if (params.decision === 'deny') {
        return reply.redirect(denialUrl(pending.redirectUri, pending.state));
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
        scopes: pending.scopes,
        nonce: pending.nonce,
        authTime: ctx.clock.nowSeconds(),
        account: pending.account,
      });
      return reply.redirect(
        withParams(pending.redirectUri, {
          code,
          scope: pending.scopes.join(' '),
          state: pending.state,
        }),
      );
    },
  });
}
