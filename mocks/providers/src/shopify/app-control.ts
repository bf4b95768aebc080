import type { ProviderContext } from '../core/personality';
import type { ShopifyAccount } from './account';
import type { ShopifyStores } from './stores';

/**
 * `POST /__control/shopify/apps { clientId, createdAt }`: when the app was created (ISO date).
 * An app created before 2026-04-01 may still get non-expiring offline tokens until 2027-01-01;
 * every other app is a new public app and must ask for expiring ones (stores.ts).
 */
export function registerAppControl(ctx: ProviderContext<ShopifyAccount>, stores: ShopifyStores) {
  ctx.controlRoute({
    method: 'POST',
    path: '/apps',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as { clientId?: unknown; createdAt?: unknown };
      const at = typeof body.createdAt === 'string' ? Date.parse(body.createdAt) : NaN;
      if (typeof body.clientId !== 'string' || body.clientId === '' || Number.isNaN(at)) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"clientId" (string) and "createdAt" (ISO date) are required.',
        });
      }
      stores.setAppCreatedAt(body.clientId, at);
      return { clientId: body.clientId, createdAt: new Date(at).toISOString() };
    },
  });
}
