import { errorPage, registerAuthorizeRoute, registerConsentRoute } from '../core/authorize';
import type { Brand } from '../core/html';
import { withParams } from '../core/oauth';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { ShopifyAccount } from './account';
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
  const oauthError = (error: string, message: string) => ({
    status: 400,
    title: `Oauth error ${error}`,
    message,
  });

  registerAuthorizeRoute(router, ctx, {
    path: '/store/:shop/admin/oauth/authorize',
    consentPath: '/store/:shop/admin/oauth/consent',
    brand,
    pending: stores.pending,
    precheck: (request) =>
      shopDomain(request.params) === undefined
        ? { status: 404, title: 'Store not found', message: 'There is no store at this address.' }
        : undefined,
    redirectUri: 'only-registered',
    // Shopify never redirects on these: the app's redirect URI is not trusted yet.
    unknownClient: oauthError('invalid_request', 'The client_id is missing or invalid.'),
    badRedirectUri: ({ reason }) =>
      oauthError('invalid_request', `The redirect_uri is not whitelisted. ${reason}`),
    accept: ({ params, client, redirectUri, request }, account, { page }) => {
      // precheck has turned away requests without a store.
      const shop = shopDomain(request.params) ?? '';
      // Comma-separated; a space-separated list reads as one malformed scope, as it does there.
      const scopes = [...new Set((params.scope ?? '').split(',').filter((s) => s !== ''))];
      const invalid = scopes.filter((s) => !SCOPE.test(s));
      if (invalid.length > 0) {
        return page(
          oauthError('invalid_scope', `Scope undefined for API access: ${invalid.join(', ')}.`),
        );
      }
      // No response_type, no PKCE in Shopify's flow: such parameters are ignored.
      return {
        pending: {
          clientId: client.clientId,
          shop,
          redirectUri,
          scopes,
          online: params['grant_options[]'] === 'per-user',
          state: params.state,
          account,
        },
        consent: {
          account: `${account.ownerFirstName} ${account.ownerLastName} · ${account.email}`,
          details: [{ label: 'Store', value: `${account.shopName} (${shop})` }],
          permissions: scopes.length > 0 ? scopes.map(describeScope) : ['No access scopes'],
        },
        action: `/${ctx.id}/store/${shop}/admin/oauth/consent`,
      };
    },
  });

  registerConsentRoute(router, {
    path: '/store/:shop/admin/oauth/consent',
    brand,
    pending: stores.pending,
    expired: {
      title: 'Request expired',
      message:
        'This installation request has expired or was already answered. Start again from the app.',
    },
    // A form posted to another store's URL does not install the app there.
    belongsTo: (pending, request) => pending.shop === shopDomain(request.params),
    // Shopify has no documented error redirect: cancelling leaves the merchant in the admin,
    // and the app is never called back.
    onDeny: (pending, reply) =>
      errorPage(reply, brand, {
        status: 200,
        title: 'Installation cancelled',
        message: `${pending.shop} did not install the app. You can close this page.`,
      }),
    onAllow: (pending, reply) => {
      const client = ctx.findClient(pending.clientId);
      if (client === undefined) {
        return errorPage(reply, brand, {
          status: 400,
          title: 'App not found',
          message: 'The app was removed during installation.',
        });
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
      // Alphabetical, as Shopify sends them (so not redirectBack, which puts state last).
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
