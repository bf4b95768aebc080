import { definePersonality } from '../core/personality';
import { defaultNotionAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';
import { createNotionStores } from './stores';
import { createNotionApiKeys } from './api-keys';
import { registerDataRoutes } from './data';
import { faultTable, oauthErrorBody } from '../core/faults';

const brand = { name: 'Notion', colour: '#191919' };
const notionBody = (status: number, code: string, message: string) => ({
  object: 'error',
  status,
  code,
  message,
});

/**
 * Notion public-integration OAuth (https://developers.notion.com/reference/authorization), under
 * `/notion/v1/…` like api.notion.com.
 */
export const notion = definePersonality({
  id: 'notion',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect', 'data'],
  authorizeExample: { params: { owner: 'user' } },
  defaultAccount: defaultNotionAccount,
  faultResponse: faultTable({
    error_500: [500, notionBody(500, 'internal_server_error', 'Unexpected error occurred.')],
    rate_limit: [
      429,
      notionBody(
        429,
        'rate_limited',
        'You have been rate limited. Please try again in a few minutes.',
      ),
    ],
    invalid_grant: [400, oauthErrorBody('invalid_grant', 'Token has been expired or revoked.')],
  }),
  register(router, ctx) {
    const stores = createNotionStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    const apiKeys = createNotionApiKeys(ctx);
    registerUserRoutes(router, stores, apiKeys);
    registerDataRoutes(router, ctx, stores, apiKeys);
  },
});
