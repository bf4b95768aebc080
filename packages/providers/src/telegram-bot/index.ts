import { siTelegram } from 'simple-icons';
import { z } from 'zod';
import { brandFrom } from '../brand';
import { defineApiKeyProvider, verifyWithProvider } from '../modes/api-key/define';
import type { ApiKeyProvider } from '../types';
import type { Metadata } from './metadata';

/** `getMe`'s answer: `{ ok: true, result: User }` (https://core.telegram.org/bots/api#getme). */
const GetMeSchema = z.looseObject({
  ok: z.literal(true),
  result: z.looseObject({
    id: z.number().int(),
    is_bot: z.literal(true),
    first_name: z.string(),
    username: z.string(),
  }),
});

/** Who the verification call's errors name. */
const PROVIDER = { id: 'telegram-bot', name: 'Telegram' } as const;

/** See README.md in this folder for the facts and their sources. */
export const telegramBot: ApiKeyProvider = defineApiKeyProvider({
  id: 'telegram-bot',
  name: 'Telegram Bot',
  description: 'A Telegram bot, with the token @BotFather gave you.',
  color: '#229ed9',
  brand: brandFrom(siTelegram),
  liveBaseUrl: 'https://api.telegram.org',
  mockBasePath: '/telegram',
  fields: z.strictObject({
    botToken: z
      .string()
      .trim()
      // `<bot id>:<secret>`, as @BotFather prints it (https://core.telegram.org/bots/api#authorizing-your-bot).
      .regex(/^\d{1,20}:[A-Za-z0-9_-]{30,100}$/, 'a bot token looks like 123456789:AAE…')
      .meta({
        label: 'Bot token',
        help: 'Send /mybots to @BotFather in Telegram, pick the bot, then API Token.',
        placeholder: '123456789:AAE…',
        secret: true,
      }),
  }),
  async verify(values, ctx) {
    // The token is the path (`/bot<token>/getMe`): the form check above keeps it URL-safe.
    const base = ctx.config.baseUrl.replace(/\/$/, '');
    const me = await verifyWithProvider(PROVIDER, ctx, {
      method: 'GET',
      url: `${base}/bot${values.botToken}/getMe`,
      secretInPath: true,
      schema: GetMeSchema,
      field: 'botToken',
      rejected:
        'Telegram did not accept this bot token. Check that you copied all of it from @BotFather.',
    });
    const metadata: Metadata = {
      providerId: 'telegram-bot',
      botId: String(me.result.id),
      username: me.result.username,
      firstName: me.result.first_name,
    };
    return {
      accountId: String(me.result.id),
      label: `${me.result.first_name} (@${me.result.username})`,
      metadata,
    };
  },
});
