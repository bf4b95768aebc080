import { bearerRoute } from '../core/bearer';
import type { ProviderRouter } from '../core/personality';
import { internalBotUser, type createNotionApiKeys } from './api-keys';
import { botUser, notionTokenCheck } from './responses';
import type { NotionStores } from './stores';

/** `GET /v1/users/me`: the bot user behind the token. */
export function registerUserRoutes(
  router: ProviderRouter,
  stores: NotionStores,
  apiKeys: ReturnType<typeof createNotionApiKeys>,
): void {
  bearerRoute(router, {
    path: '/v1/users/me',
    endpoint: 'identity',
    // Notion checks the version header before the token.
    ...notionTokenCheck,
    // An OAuth access token, or an internal integration's secret.
    find: (token) => stores.tokens.findByAccessToken(token) ?? apiKeys.find(token),
    handle: (grant) => ('values' in grant ? internalBotUser(grant) : botUser(grant)),
  });
}
