import type { FastifyReply } from 'fastify';
import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, withParams } from '../core/oauth';
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

function htmlPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** `GET /oauth/authorize` (consent page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<CalendlyAccount>,
  brand: Brand,
  stores: CalendlyStores,
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
          renderErrorPage(brand, 'Invalid client', DESCRIPTIONS.invalid_client),
        );
      }
      // Calendly documents redirect_uri as required, and matches it exactly.
      if (params.redirect_uri === undefined || !client.redirectUris.includes(params.redirect_uri)) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'Invalid redirect URI', 'The redirect uri included is not valid.'),
        );
      }
      const redirectUri = params.redirect_uri;
      const fail = (error: string, description: string) =>
        reply.redirect(
          withParams(redirectUri, { error, error_description: description, state: params.state }),
        );
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
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        redirectUri,
        state: params.state,
        scope,
        pkce: { challenge: params.code_challenge, method: 'S256' },
        account,
      });
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand,
          clientName: client.name,
          account: `${account.name} · ${account.email}`,
          details: [{ label: 'Scheduling page', value: `calendly.com/${account.slug}` }],
          permissions: scope === 'default' ? FULL_ACCESS : scope.split(/\s+/),
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
            error_description: DESCRIPTIONS.access_denied,
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
        pkce: pending.pkce,
        account: pending.account,
        scope: pending.scope,
      });
      return reply.redirect(withParams(pending.redirectUri, { code, state: pending.state }));
    },
  });
}
