import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Grant } from '../core/grants';
import type { NotionAccount } from './account';

/** What a Notion grant remembers: who authorised, and the bot created for the integration. */
export interface NotionGrantData {
  account: NotionAccount;
  botId: string;
  /** The integration's name (the client's), which Notion shows as the bot's name. */
  botName: string;
}

/** Notion's API error body (`/v1/users/me` and other API routes). */
export function notionError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply
    .status(status)
    .send({ object: 'error', status, code, message, request_id: randomUUID() });
}

/**
 * The checks of every Notion API route, the identity and data ones alike
 * (https://developers.notion.com/reference/versioning,
 * https://developers.notion.com/reference/status-codes): `Notion-Version` before anything else,
 * then a token it knows, else 401 `unauthorized`.
 */
export const notionTokenCheck = {
  before: (request: FastifyRequest, reply: FastifyReply) => {
    const version = request.headers['notion-version'];
    if (typeof version === 'string' && version !== '') return undefined;
    return notionError(
      reply,
      400,
      'missing_version',
      'Notion-Version header failed validation: Notion-Version should be defined, instead was `undefined`.',
    );
  },
  refuse: (reply: FastifyReply) => notionError(reply, 401, 'unauthorized', 'API token is invalid.'),
};

/**
 * The OAuth endpoints answer RFC 6749 style (`{error, error_description}`), as observed from the
 * real token endpoint (https://developers.notion.com/reference/authorization shows the API shape;
 * clients see this one).
 */
export function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="notion"');
  return reply.status(status).send({ error, error_description: description });
}

/** A Notion user object of type person (the token response's `owner.user`). */
export function personUser(account: NotionAccount) {
  return {
    object: 'user',
    id: account.userId,
    type: 'person',
    name: account.name,
    avatar_url: account.avatarUrl,
    person: { email: account.email },
  };
}

/** notion-sdk-js `OauthTokenResponse`: no `expires_in`, Notion tokens do not expire. */
export function tokenResponse(grant: Grant<NotionGrantData>) {
  const { account, botId } = grant.data;
  return {
    access_token: grant.accessToken,
    token_type: 'bearer',
    refresh_token: grant.refreshToken,
    bot_id: botId,
    workspace_icon: account.workspaceIcon,
    workspace_name: account.workspaceName,
    workspace_id: account.workspaceId,
    owner: { type: 'user', user: personUser(account) },
    duplicated_template_id: null,
    request_id: randomUUID(),
  };
}

/** notion-sdk-js `GetSelfResponse`: the bot user, whose owner is the person who authorised. */
export function botUser(grant: Grant<NotionGrantData>) {
  const { account, botId, botName } = grant.data;
  return {
    object: 'user',
    id: botId,
    name: botName,
    avatar_url: null,
    type: 'bot',
    bot: {
      owner: { type: 'user', user: personUser(account) },
      workspace_id: account.workspaceId,
      workspace_name: account.workspaceName,
      workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
    },
    request_id: randomUUID(),
  };
}
