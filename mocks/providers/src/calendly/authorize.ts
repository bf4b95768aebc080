import { registerAuthorizeRoute, registerConsentRoute, redirectBack } from '../core/authorize';
import type { Brand } from '../core/html';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { CalendlyAccount } from './account';
import { DESCRIPTIONS } from './responses';
import type { CalendlyStores } from './stores';

/** An RFC 7636 S256 challenge: base64url of a SHA-256 digest, 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** What the consent page lists when the app asked for no scope (legacy full access). */
const FULL_ACCESS = [
  'View your Calendly profile and organization',
  'View and manage your event types and scheduled events',
];

/** `GET /oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<CalendlyAccount>,
  brand: Brand,
  stores: CalendlyStores,
): void {
  registerAuthorizeRoute(router, ctx, {
    path: '/oauth/authorize',
    consentPath: '/oauth/consent',
    brand,
    pending: stores.pending,
    // Calendly documents redirect_uri as required, and matches it exactly.
    redirectUri: 'required',
    unknownClient: { status: 400, title: 'Invalid client', message: DESCRIPTIONS.invalid_client },
    badRedirectUri: {
      status: 400,
      title: 'Invalid redirect URI',
      message: 'The redirect uri included is not valid.',
    },
    accept: ({ params, client, redirectUri }, account, { fail }) => {
      if (params.response_type !== 'code') {
        return fail('unsupported_response_type', DESCRIPTIONS.unsupported_response_type);
      }
      // PKCE is required by the mock, S256 only: Calendly recommends it for every app, and a
      // client that skips it or downgrades to plain should find out here, not in production.
      if (params.code_challenge === undefined) {
        return fail('invalid_request', 'Missing required parameter: code_challenge.');
      }
      if (params.code_challenge_method !== 'S256') {
        return fail('invalid_request', 'code_challenge_method must be S256.');
      }
      if (!S256_CHALLENGE.test(params.code_challenge)) {
        return fail('invalid_request', 'code_challenge is not a valid S256 challenge.');
      }
      // Unknown parameters are ignored, like the real endpoint.
      const scope = params.scope?.trim() || 'default';
      return {
        pending: {
          clientId: client.clientId,
          redirectUri,
          state: params.state,
          scope,
          pkce: { challenge: params.code_challenge, method: 'S256' },
          account,
        },
        consent: {
          account: `${account.name} · ${account.email}`,
          details: [{ label: 'Scheduling page', value: `calendly.com/${account.slug}` }],
          permissions: scope === 'default' ? FULL_ACCESS : scope.split(/\s+/),
        },
      };
    },
  });

  registerConsentRoute(router, {
    path: '/oauth/consent',
    brand,
    pending: stores.pending,
    denyParams: { error_description: DESCRIPTIONS.access_denied },
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
