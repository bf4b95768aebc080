import { renderConsentPage, renderErrorPage } from '../core/html';
import type { Brand } from '../core/html';
import { readParams, resolveRedirectUri, withParams } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ShopifyAccount } from './account';
import { htmlPage } from './responses';
import { shopDomain, shopHost, signQuery } from './shop';
import type { ShopifyStores } from './stores';

/** Access scope syntax (`read_products`, `write_orders`, `unauthenticated_read_…`). */
const SCOPE = /^(unauthenticated_)?(read|write)_[a-z_]+$/;

/** `read_products` → "Read products", for the consent page. */
function describeScope(scope: string): string {
  const words = scope.replace(/^unauthenticated_/, '').split('_');
  const [verb, ...rest] = words;
  return `${verb === 'write' ? 'Modify' : 'View'} ${rest.join(' ')}`;
}

/** `GET /store/{shop}/admin/oauth/authorize` (the install page) and the form it posts to. */
export function registerAuthorizeRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<ShopifyAccount>,
  brand: Brand,
  stores: ShopifyStores,
): void {
  const oauthErrorPage = (error: string, message: string) =>
    renderErrorPage(brand, `Oauth error ${error}`, message);

  router.route({
    method: 'GET',
    path: '/store/:shop/admin/oauth/authorize',
    endpoint: 'authorize',
    handler: async (request, reply) => {
      const shop = shopDomain(request.params);
      if (shop === undefined) {
        return htmlPage(
          reply,
          404,
          renderErrorPage(brand, 'Store not found', 'There is no store at this address.'),
        );
      }
      const params = readParams(request.query);
      const client = params.client_id === undefined ? undefined : ctx.findClient(params.client_id);
      // Shopify never redirects on these: the app's redirect URI is not trusted yet.
      if (client === undefined) {
        return htmlPage(
          reply,
          400,
          oauthErrorPage('invalid_request', 'The client_id is missing or invalid.'),
        );
      }
      const redirect = resolveRedirectUri(client, params.redirect_uri);
      if (!redirect.ok) {
        return htmlPage(
          reply,
          400,
          oauthErrorPage(
            'invalid_request',
            `The redirect_uri is not whitelisted. ${redirect.reason}`,
          ),
        );
      }
      // Comma-separated; a space-separated list reads as one malformed scope, as it does there.
      const scopes = [...new Set((params.scope ?? '').split(',').filter((s) => s !== ''))];
      const invalid = scopes.filter((s) => !SCOPE.test(s));
      if (invalid.length > 0) {
        return htmlPage(
          reply,
          400,
          oauthErrorPage('invalid_scope', `Scope undefined for API access: ${invalid.join(', ')}.`),
        );
      }
      // No response_type, no PKCE in Shopify's flow: such parameters are ignored.
      const account = ctx.currentAccount();
      const pendingId = stores.pending.create({
        clientId: client.clientId,
        shop,
        redirectUri: redirect.redirectUri,
        scopes,
        online: params['grant_options[]'] === 'per-user',
        state: params.state,
        account,
      });
      return htmlPage(
        reply,
        200,
        renderConsentPage({
          brand,
          clientName: client.name,
          account: `${account.ownerFirstName} ${account.ownerLastName} · ${account.email}`,
          details: [{ label: 'Store', value: `${account.shopName} (${shop})` }],
          permissions: scopes.length > 0 ? scopes.map(describeScope) : ['No access scopes'],
          action: `/${ctx.id}/store/${shop}/admin/oauth/consent`,
          pendingId,
        }),
      );
    },
  });

  router.route({
    method: 'POST',
    path: '/store/:shop/admin/oauth/consent',
    endpoint: 'consent',
    handler: async (request, reply) => {
      const params = readParams(request.body);
      const pending =
        params.pending === undefined ? undefined : stores.pending.take(params.pending);
      if (pending === undefined || pending.shop !== shopDomain(request.params)) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(
            brand,
            'Request expired',
            'This installation request has expired or was already answered. Start again from the app.',
          ),
        );
      }
      if (params.decision === 'deny') {
        // Shopify has no documented error redirect: cancelling leaves the merchant in the
        // admin, and the app is never called back.
        return htmlPage(
          reply,
          200,
          renderErrorPage(
            brand,
            'Installation cancelled',
            `${pending.shop} did not install the app. You can close this page.`,
          ),
        );
      }
      if (params.decision !== 'allow') {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'Invalid decision', 'Choose Allow or Deny.'),
        );
      }
      const client = ctx.findClient(pending.clientId);
      if (client === undefined) {
        return htmlPage(
          reply,
          400,
          renderErrorPage(brand, 'App not found', 'The app was removed during installation.'),
        );
      }
      const code = stores.codes.issue({
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        shop: pending.shop,
        scopes: pending.scopes,
        online: pending.online,
        account: pending.account,
      });
      const host = shopHost(pending.shop);
      const timestamp = String(ctx.clock.nowSeconds());
      const signed: Record<string, string> = { code, host, shop: pending.shop, timestamp };
      if (pending.state !== undefined) signed.state = pending.state;
      const hmac = signQuery(signed, client.clientSecret);
      // Alphabetical, as Shopify sends them.
      return reply.redirect(
        withParams(pending.redirectUri, {
          code,
          hmac,
          host,
          shop: pending.shop,
          state: pending.state,
          timestamp,
        }),
      );
    },
  });
}
