import { siNotion } from 'simple-icons';
import { z } from 'zod';
import { brandFrom } from '../brand';
import { resolveEndpoint } from '../engines/oauth2';
import { accountLabel } from '../label';
import { defineApiKeyProvider, verifyWithProvider } from '../modes/api-key/define';
import type { ApiKeyProvider } from '../types';
import type { Metadata } from './metadata';

/** The API version Plugboard reads with (https://developers.notion.com/reference/versioning). */
const NOTION_VERSION = '2022-06-28';

/** `GET /v1/users/me` with an integration token: its bot user. */
const BotUserSchema = z.looseObject({
  object: z.literal('user'),
  id: z.string(),
  type: z.literal('bot'),
  name: z.string().nullish(),
  bot: z.looseObject({ workspace_name: z.string().nullish() }).nullish(),
});

/** Who the verification call's errors name. */
const PROVIDER = { id: 'notion-internal', name: 'Notion' } as const;

/** See README.md in this folder for the facts and their sources. */
export const notionInternal: ApiKeyProvider = defineApiKeyProvider({
  id: 'notion-internal',
  name: 'Notion (internal integration)',
  description: 'A Notion workspace, with an internal integration secret.',
  color: '#191919',
  brand: brandFrom(siNotion),
  liveBaseUrl: 'https://api.notion.com',
  mockBasePath: '/notion',
  fields: z.strictObject({
    token: z
      .string()
      .trim()
      .regex(/^ntn_[A-Za-z0-9]{20,200}$/, 'an internal integration secret starts with ntn_')
      .meta({
        label: 'Internal integration secret',
        help: 'In Notion: Settings → Connections → Develop or manage integrations → your integration → Internal Integration Secret.',
        placeholder: 'ntn_…',
        secret: true,
      }),
  }),
  async verify(values, ctx) {
    const bot = await verifyWithProvider(PROVIDER, ctx, {
      method: 'GET',
      url: resolveEndpoint('/v1/users/me', ctx.config),
      headers: { authorization: `Bearer ${values.token}`, 'notion-version': NOTION_VERSION },
      schema: BotUserSchema,
      field: 'token',
      rejected: 'Notion did not accept this token. Check that you copied the whole secret.',
    });
    const workspaceName = bot.bot?.workspace_name ?? null;
    const metadata: Metadata = {
      providerId: 'notion-internal',
      botId: bot.id,
      botName: bot.name ?? null,
      workspaceName,
    };
    return {
      accountId: bot.id,
      label: accountLabel(workspaceName, bot.name, 'Notion workspace'),
      metadata,
    };
  },
});
