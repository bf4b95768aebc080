import type { FastifyReply } from 'fastify';
import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, withParams } from '../core/oauth';
import type { PkceChallenge } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ZoomAccount } from './account';
import type { ZoomStores } from './stores';

/** Granted when authorize names no scope: Zoom scopes are configured on the app. */
export const DEFAULT_SCOPE = 'user:read';

/** RFC 7636 §4.2: 43–128 unreserved characters. */
const CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

function htmlPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** `GET /oauth/authorize` (zoom.us) and the consent form's target. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ZoomAccount>,
  brand: Brand,
  stores: ZoomStores,
): void {
  router.route({
    method: 'GET',
    path: '/oauth/authorize',
    endpoint: 'authorize',
    handler: async (request, reply) => {
      const params = readParams(request.query);
      const client = params.client_id === undefined ? undefined : ctx.findClient(params.client_id);
      if (client === undefined) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'Invalid client_id: 4700', 'The client_id is not valid.'),
        );
      }
      // Zoom matches the redirect URI exactly (scheme, port, trailing slash) → error 4709.
      if (params.redirect_uri === undefined || !client.redirectUris.includes(params.redirect_uri)) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Invalid redirect: 4709',
            'Redirect URI mismatch. The redirect_uri must exactly match one configured for the app.',
          ),
        );
      }
      const redirectUri = params.redirect_uri;
      const fail = (error: string, description: string) =>
        reply.redirect(
          withParams(redirectUri, { error, error_description: description, state: params.state }),
        );
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
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        redirectUri,
        state: params.state,
        scope,
        pkce,
        account,
      });
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand,
          clientName: client.name,
          account: `${account.firstName} ${account.lastName} · ${account.email}`,
          details: [{ label: 'Zoom account', value: account.accountId }],
          permissions: scope.split(/[\s,]+/),
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
        redirectUri: pending.redirectUri,
        pkce: pending.pkce,
        account: pending.account,
        scope: pending.scope,
      });
      return reply.redirect(withParams(pending.redirectUri, { code, state: pending.state }));
    },
  });
}
