import { registerAuthorizeRoute, registerConsentRoute, redirectBack } from '../core/authorize';
import type { Brand } from '../core/html';
import type { PkceChallenge } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import type { ZoomStores } from './stores';

/** Granted when authorize names no scope: Zoom scopes are configured on the app. */
export const DEFAULT_SCOPE = 'user:read';

/** RFC 7636 §4.2: 43–128 unreserved characters. */
const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** `GET /oauth/authorize` (zoom.us) and the consent form's target. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  brand: Brand,
  stores: ZoomStores,
): void {
  registerAuthorizeRoute(router, ctx, {
    path: '/oauth/authorize',
    consentPath: '/oauth/consent',
    brand,
    pending: stores.pending,
    unknownClient: {
      status: 400,
      title: 'Invalid client_id: 4700',
      message: 'The client_id is not valid.',
    },
    // Zoom matches the redirect URI exactly (scheme, port, trailing slash) → error 4709.
    redirectUri: 'required',
    badRedirectUri: {
      status: 400,
      title: 'Invalid redirect: 4709',
      message:
        'Redirect URI mismatch. The redirect_uri must exactly match one configured for the app.',
    },
    accept: ({ params, client, redirectUri }, account, { fail }) => {
      if (params.response_type !== 'code') {
        return fail('unsupported_response_type', 'Unsupported response type.');
      }
      // PKCE is optional; when sent it must be well formed. RFC 7636 makes a missing method
      // mean plain, which the mock accepts along with S256.
      let pkce: PkceChallenge | undefined;
      if (params.code_challenge !== undefined) {
        const method = params.code_challenge_method ?? 'plain';
        if (method !== 'S256' && method !== 'plain') {
          return fail('invalid_request', 'Unsupported code_challenge_method.');
        }
        if (!CHALLENGE.test(params.code_challenge)) {
          return fail('invalid_request', 'Invalid code_challenge.');
        }
        pkce = { challenge: params.code_challenge, method };
      }
      const scope = params.scope?.trim() || DEFAULT_SCOPE;
      return {
        pending: {
          clientId: client.clientId,
          redirectUri,
          state: params.state,
          scope,
          pkce,
          account,
        },
        consent: {
          account: `${account.firstName} ${account.lastName} · ${account.email}`,
          details: [{ label: 'Zoom account', value: account.accountId }],
          permissions: scope.split(/[\s,]+/),
        },
      };
    },
  });

  registerConsentRoute(router, {
    path: '/oauth/consent',
    brand,
    pending: stores.pending,
    onAllow: (pending, reply) => {
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        pkce: pending.pkce,
        account: pending.account,
        scope: pending.scope,
      });
      return redirectBack(reply, pending, { code });
    },
  });
}
