import { registerAuthorize } from '../core/flow';
import type { Brand } from '../core/html';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { CalendlyAccount } from './account';
import { DESCRIPTIONS } from './responses';
import type { CalendlyStores } from './stores';

/** What the consent page lists when the app asked for no scope: a new app then gets no access. */
const NO_ACCESS = ['No access to your Calendly data (the app requested no scopes)'];

/** `GET /oauth/authorize` (consent page) and the form it posts to, by the shared flow. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<CalendlyAccount>,
  brand: Brand,
  stores: CalendlyStores,
): void {
  registerAuthorize(router, ctx, {
    brand,
    authorizePath: '/oauth/authorize',
    codes: stores.codes,
    // Calendly documents redirect_uri as required, and matches it exactly.
    redirectUri: 'required',
    unknownClient: { status: 400, title: 'Invalid client', message: DESCRIPTIONS.invalid_client },
    badRedirectUri: {
      status: 400,
      title: 'Invalid redirect URI',
      message: 'The redirect uri included is not valid.',
    },
    validate: (params) =>
      params.response_type === 'code'
        ? undefined
        : {
            error: 'unsupported_response_type',
            description: DESCRIPTIONS.unsupported_response_type,
          },
    // The code flow without PKCE is supported; PKCE is recommended, and only with S256
    // (https://developer.calendly.com/api-docs/calendly-o-auth/o-auth/get-oauth-authorize,
    // https://developer.calendly.com/creating-an-oauth-app): a challenge without a method
    // (plain, RFC 7636 §4.3) or with plain is refused.
    pkce: 'optional-s256',
    // Unknown parameters are ignored, like the real endpoint.
    defaultScope: 'default',
    denyParams: { error_description: DESCRIPTIONS.access_denied },
    consent: (account, scope) => ({
      account: `${account.name} · ${account.email}`,
      details: [{ label: 'Scheduling page', value: `calendly.com/${account.slug}` }],
      permissions: scope === 'default' ? NO_ACCESS : scope.split(/\s+/),
    }),
  });
}
