import { PlugboardError } from '@plugboard/contracts';
import { z } from 'zod';
import { defineOAuth2Provider, resolveEndpoint, revokeToken } from '../engines/oauth2';
import type { Metadata } from './metadata';
import { siNotion } from 'simple-icons';
import { brandFrom } from '../brand';

/** Notion's token response (notion-sdk-js `OauthTokenResponse`). */
const NotionTokenResponseSchema = z.looseObject({
  access_token: z.string(),
  bot_id: z.string(),
  workspace_id: z.string(),
  workspace_name: z.string().nullish(),
  workspace_icon: z.string().nullish(),
  owner: z
    .looseObject({
      type: z.string().optional(),
      user: z
        .looseObject({
          id: z.string(),
          name: z.string().nullish(),
          person: z.looseObject({ email: z.string().nullish() }).nullish(),
        })
        .optional(),
    })
    .nullish(),
});

/** `GET /v1/users/me` returns the integration's bot user. */
const NotionBotUserSchema = z.looseObject({
  object: z.literal('user'),
  id: z.string(),
  type: z.literal('bot'),
  bot: z
    .looseObject({
      workspace_name: z.string().nullish(),
      owner: z
        .looseObject({
          user: z
            .looseObject({
              id: z.string(),
              name: z.string().nullish(),
              person: z.looseObject({ email: z.string().nullish() }).nullish(),
            })
            .optional(),
        })
        .nullish(),
    })
    .optional(),
});

const NOTION_VERSION = '2025-09-03';

export const notion = defineOAuth2Provider<z.infer<typeof NotionTokenResponseSchema>, Metadata>({
  id: 'notion',
  name: 'Notion',
  description: 'Pages, databases and wikis of a Notion workspace.',
  color: '#191919',
  brand: brandFrom(siNotion),
  liveBaseUrl: 'https://api.notion.com',
  inputs: [],
  endpoints: {
    authorize: '/v1/oauth/authorize',
    token: '/v1/oauth/token',
    revoke: '/v1/oauth/revoke',
  },
  // Notion has no OAuth scopes: capabilities are set on the integration.
  scopes: [],
  scopeSeparator: ' ',
  clientAuth: 'basic',
  tokenBody: 'json',
  // Notion does not support PKCE (https://developers.notion.com/reference/authorization); the
  // one-time state binds the flow.
  pkce: false,
  authorizeParams: { owner: 'user' },
  headers: { 'notion-version': NOTION_VERSION },
  tokenResponse: NotionTokenResponseSchema,
  async identify(tokens, ctx) {
    const res = await ctx.http.request('notion', {
      method: 'GET',
      url: resolveEndpoint('/v1/users/me', ctx.config),
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'notion-version': NOTION_VERSION },
    });
    const me = NotionBotUserSchema.safeParse(res.body);
    if (res.status !== 200 || !me.success) {
      throw new PlugboardError(
        'PROVIDER_ERROR',
        `Notion did not return the connected account (HTTP ${res.status}). Start connecting again.`,
      );
    }
    const r = tokens.response;
    const owner = me.data.bot?.owner?.user ?? r.owner?.user;
    const email = owner?.person?.email ?? null;
    const workspaceName = me.data.bot?.workspace_name ?? r.workspace_name ?? null;
    const metadata: Metadata = {
      providerId: 'notion',
      workspaceId: r.workspace_id,
      workspaceName,
      workspaceIcon: r.workspace_icon ?? null,
      botId: r.bot_id,
      ownerUserId: owner?.id ?? null,
      ownerEmail: email,
      ownerName: owner?.name ?? null,
    };
    const name = workspaceName ?? 'Notion workspace';
    return {
      // One connection per workspace and Notion user: reconnecting it updates the same row.
      accountId: `${r.workspace_id}:${owner?.id ?? r.bot_id}`,
      label: email ? `${name} (${email})` : name,
      metadata,
    };
  },
  async revoke(tokens, ctx) {
    await revokeToken(notion, ctx, tokens.accessToken);
  },
});
