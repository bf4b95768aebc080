import { definePersonality } from '../core/personality';
import { defaultNotionAccount } from './account';
import { registerAuthorizeRoutes } from './authorize';
import { registerTokenRoutes } from './token';
import { registerUserRoutes } from './users';
import { createNotionStores } from './stores';

const brand = { name: 'Notion', colour: '#191919' };

/**
 * Notion public-integration OAuth (https://developers.notion.com/reference/authorization), under
 * `/notion/v1/…` like api.notion.com.
 */
export const notion = definePersonality({
  id: 'notion',
  brand,
  endpoints: ['authorize', 'consent', 'token', 'identity', 'revoke', 'introspect'],
  authorizeExample: { params: { owner: 'user' } },
  defaultAccount: defaultNotionAccount,
  faultResponse(kind) {
    switch (kind) {
      case 'error_500':
        return {
          status: 500,
          body: {
            object: 'error',
            status: 500,
            code: 'internal_server_error',
            message: 'Unexpected error occurred.',
          },
        };
      case 'rate_limit':
        return {
          status: 429,
          body: {
            object: 'error',
            status: 429,
            code: 'rate_limited',
            message: 'You have been rate limited. Please try again in a few minutes.',
          },
        };
      case 'invalid_grant':
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
        };
    }
  },
  register(router, ctx) {
    const stores = createNotionStores(ctx);
    registerAuthorizeRoutes(router, ctx, brand, stores);
    registerTokenRoutes(router, ctx, stores);
    registerUserRoutes(router, stores);
  },
});
