import { bearerRoute } from '../core/bearer';
import type { ProviderRouter } from '../core/personality';
import { internalBotUser, type createNotionApiKeys } from './api-keys';
import { botUser, notionError } from './responses';
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
    before: (request, reply) => {
      const version = request.headers['notion-version'];
      if (typeof version === 'string' && version !== '') return undefined;
      return notionError(
        reply,
        400,
        'missing_version',
        'Notion-Version header failed validation: Notion-Version should be defined, instead was `undefined`.',
      );
    },
    // An OAuth access token, or an internal integration's secret.
    find: (token) => stores.tokens.findByAccessToken(token) ?? apiKeys.find(token),
    refuse: (reply) => notionError(reply, 401, 'unauthorized', 'API token is invalid.'),
    handle: (grant) => ('values' in grant ? internalBotUser(grant) : botUser(grant)),
  });
}
