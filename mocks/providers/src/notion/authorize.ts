import type { FastifyReply } from 'fastify';
import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, resolveRedirectUri, withParams } from '../core/oauth';
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

function htmlPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** `GET /v1/oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<NotionAccount>,
  brand: Brand,
  stores: NotionStores,
): void {
  const consentPath = `/${ctx.id}/v1/oauth/consent`;

  router.route({
    method: 'GET',
    path: '/v1/oauth/authorize',
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
          renderErrorPage(brand, 'Invalid client', 'Missing or invalid client_id.'),
        );
      }
      const redirect = resolveRedirectUri(client, params.redirect_uri);
      if (!redirect.ok) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'Invalid redirect_uri', redirect.reason),
        );
      }
      const invalid =
        params.response_type !== 'code'
          ? 'response_type must be "code".'
          : params.owner !== 'user'
            ? 'owner must be "user".'
            : undefined;
      if (invalid !== undefined) {
        return reply.redirect(
          withParams(redirect.redirectUri, {
            error: 'invalid_request',
            error_description: invalid,
            state: params.state,
          }),
        );
      }
      // Other parameters (scope, code_challenge, …) are ignored, as the real endpoint does.
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        redirectUri: redirect.redirectUri,
        redirectUriSent: redirect.sent,
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
          details: [{ label: 'Workspace', value: account.workspaceName }],
          permissions: CAPABILITIES,
          action: consentPath,
          pendingId,
        }),
      );
    },
  });

  router.route({
    method: 'POST',
    path: '/v1/oauth/consent',
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
          withParams(pending.redirectUri, { error: 'access_denied', state: pending.state }),
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
        redirectUri: pending.redirectUriSent ? pending.redirectUri : null,
        account: pending.account,
      });
      return reply.redirect(withParams(pending.redirectUri, { code, state: pending.state }));
    },
  });
}
