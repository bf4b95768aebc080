import { registerAuthorizeRoute, registerConsentRoute, redirectBack } from '../core/authorize';
import type { Brand } from '../core/html';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { PayPalAccount } from './account';
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
  // PayPal's one page for both: "invalid client_id or redirect_uri", never a redirect.
  const cannotConnect = {
    status: 400,
    title: 'Something went wrong',
    message: 'Sorry, we cannot connect you: invalid client_id or redirect_uri.',
  };

  registerAuthorizeRoute(router, ctx, {
    path: '/signin/authorize',
    consentPath: '/signin/consent',
    brand,
    pending: stores.pending,
    redirectUri: 'only-registered',
    unknownClient: cannotConnect,
    badRedirectUri: cannotConnect,
    accept: ({ params, client, redirectUri }, account, { fail }) => {
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
      return {
        pending: {
          clientId: client.clientId,
          redirectUri,
          scopes,
          state: params.state,
          nonce: params.nonce,
          account,
        },
        consent: {
          account: `${account.name} · ${account.email}`,
          permissions: scopes.map((s) => SCOPE_TEXT[s] ?? s),
        },
      };
    },
  });

  registerConsentRoute(router, {
    path: '/signin/consent',
    brand,
    pending: stores.pending,
    expired: {
      title: 'Session expired',
      message: 'This login request has expired or was already answered. Start again from the app.',
    },
    onDeny: (pending, reply) => reply.redirect(denialUrl(pending.redirectUri, pending.state)),
    onAllow: (pending, reply) => {
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        scopes: pending.scopes,
        nonce: pending.nonce,
        authTime: ctx.clock.nowSeconds(),
        account: pending.account,
      });
      return redirectBack(reply, pending, { code, scope: pending.scopes.join(' ') });
    },
  });
}
