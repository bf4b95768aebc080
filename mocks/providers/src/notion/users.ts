import { parseBearer } from '../core/oauth';
import type { ProviderRouter } from '../core/personality';
import { botUser, notionError } from './responses';
import type { NotionStores } from './stores';

/** `GET /v1/users/me`: the bot user behind the token. */
export function registerUserRoutes(router: ProviderRouter, stores: NotionStores): void {
  router.route({
    method: 'GET',
    path: '/v1/users/me',
    endpoint: 'identity',
    handler: async (request, reply) => {
      // Notion checks the version header before the token.
      const version = request.headers['notion-version'];
      if (typeof version !== 'string' || version === '') {
        return notionError(
          reply,
          400,
          'missing_version',
          'Notion-Version header failed validation: Notion-Version should be defined, instead was `undefined`.',
        );
      }
      const token = parseBearer(request.headers.authorization);
      const grant = token === undefined ? undefined : stores.tokens.findByAccessToken(token);
      if (grant === undefined) {
        return notionError(reply, 401, 'unauthorized', 'API token is invalid.');
      }
      return botUser(grant);
    },
  });
}
