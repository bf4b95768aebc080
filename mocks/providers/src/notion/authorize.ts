import { registerAuthorizeRoute, registerConsentRoute, redirectBack } from '../core/authorize';
import type { Brand } from '../core/html';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { NotionAccount } from './account';
import type { NotionStores } from './stores';

/** Notion's integration capabilities, as its consent screen words them. */
const CAPABILITIES = [
  'Read content',
  'Update content',
  'Insert content',
  'Read user information including email addresses',
];

/** `GET /v1/oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<NotionAccount>,
  brand: Brand,
  stores: NotionStores,
): void {
  registerAuthorizeRoute(router, ctx, {
    path: '/v1/oauth/authorize',
    consentPath: '/v1/oauth/consent',
    brand,
    pending: stores.pending,
    redirectUri: 'only-registered',
    unknownClient: {
      status: 400,
      title: 'Invalid client',
      message: 'Missing or invalid client_id.',
    },
    badRedirectUri: ({ reason }) => ({
      status: 400,
      title: 'Invalid redirect_uri',
      message: reason,
    }),
    accept: ({ params, client, redirectUri, redirectUriSent }, account, { fail }) => {
      if (params.response_type !== 'code') {
        return fail('invalid_request', 'response_type must be "code".');
      }
      if (params.owner !== 'user') return fail('invalid_request', 'owner must be "user".');
      // Other parameters (scope, code_challenge, …) are ignored, as the real endpoint does.
      return {
        pending: {
          clientId: client.clientId,
          redirectUri,
          redirectUriSent,
          state: params.state,
          account,
        },
        consent: {
          account: `${account.name} · ${account.email}`,
          details: [{ label: 'Workspace', value: account.workspaceName }],
          permissions: CAPABILITIES,
        },
      };
    },
  });

  registerConsentRoute(router, {
    path: '/v1/oauth/consent',
    brand,
    pending: stores.pending,
    onAllow: (pending, reply) => {
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUriSent ? pending.redirectUri : null,
        account: pending.account,
      });
      return redirectBack(reply, pending, { code });
    },
  });
}
