import { createApiKeyStore, randomAlnum } from '../core/api-keys';
import type { ProviderContext, ProviderRouter } from '../core/personality';

/** `<bot id>:<secret>` (https://core.telegram.org/bots/api#authorizing-your-bot). */
const BOT_TOKEN = /^(\d+):[A-Za-z0-9_-]+$/;

/**
 * The Bot API's `getMe` (https://core.telegram.org/bots/api#getme) for the `telegram-bot`
 * provider, at `/telegram/bot<token>/getMe` like `https://api.telegram.org/bot<token>/getMe`. A
 * token the mock did not issue answers 401 Unauthorized and a path that is no token 404 Not
 * Found, in the Bot API's `{ ok: false, error_code, description }` shape
 * (https://core.telegram.org/bots/api#making-requests). The token is in the path, so the
 * request log keeps the route pattern.
 */
/** Returns the bots, for the data routes (data.ts). */
export function registerBotApiRoutes(router: ProviderRouter, ctx: ProviderContext) {
  const bots = createApiKeyStore(ctx, {
    provider: 'telegram-bot',
    secretField: 'botToken',
    issue: () => ({
      botToken: `${7_000_000_000 + Math.floor(Math.random() * 999_999_999)}:AA${randomAlnum(33)}`,
    }),
    account: () => null,
    dev: { botToken: '1000000001:AAdevPlugboardMockBotToken00000000001' },
  });
  router.route({
    method: 'GET',
    path: '/bot:token/getMe',
    endpoint: 'bot.getMe',
    logRoutePattern: true,
    handler: async (request, reply) => {
      const token = (request.params as { token?: string }).token ?? '';
      const id = BOT_TOKEN.exec(token)?.[1];
      if (id === undefined) {
        return reply.status(404).send({ ok: false, error_code: 404, description: 'Not Found' });
      }
      if (bots.find(token) === undefined) {
        return reply.status(401).send({ ok: false, error_code: 401, description: 'Unauthorized' });
      }
      return {
        ok: true,
        result: {
          id: Number(id),
          is_bot: true,
          first_name: 'Plugboard Mock Bot',
          username: `plugboard_mock_${id.slice(-4)}_bot`,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
        },
      };
    },
  });
  return bots;
}
