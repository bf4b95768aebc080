import { registerAuthorize } from '../core/flow';
import type { Brand } from '../core/html';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import type { ZoomStores } from './stores';

/** Granted when authorize names no scope: Zoom scopes are configured on the app. */
export const DEFAULT_SCOPE = 'user:read';

/** `GET /oauth/authorize` (zoom.us) and the consent form's target, by the shared flow. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  brand: Brand,
  stores: ZoomStores,
): void {
  registerAuthorize(router, ctx, {
    brand,
    authorizePath: '/oauth/authorize',
    codes: stores.codes,
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
    validate: (params) =>
      params.response_type === 'code'
        ? undefined
        : { error: 'unsupported_response_type', description: 'Unsupported response type.' },
    // Optional; when sent, S256 or plain (RFC 7636 makes a missing method mean plain).
    pkce: 'optional',
    defaultScope: DEFAULT_SCOPE,
    consent: (account, scope) => ({
      account: `${account.firstName} ${account.lastName} · ${account.email}`,
      details: [{ label: 'Zoom account', value: account.accountId }],
      permissions: scope.split(/[\s,]+/),
    }),
  });
}
