import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { createNotionApiKeys } from './api-keys';
import { notionError, notionTokenCheck } from './responses';
import type { NotionStores } from './stores';
import type { NotionAccount } from './account';

/**
 * `POST /v1/search` (https://developers.notion.com/reference/post-search): the pages shared
 * with the integration, as a paginated list. Like every Notion API route it needs
 * `Notion-Version` before anything else, then `Authorization: Bearer <token>` — an OAuth access
 * token or an internal integration secret — and refuses others with 401 `unauthorized`
 * (https://developers.notion.com/reference/status-codes); 503 is `service_unavailable`.
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<NotionAccount>,
  stores: NotionStores,
  apiKeys: ReturnType<typeof createNotionApiKeys>,
): void {
  const api = dataApi(router, ctx, {
    ...notionTokenCheck,
    find: (token) => {
      const grant = stores.tokens.findByAccessToken(token);
      if (grant) return grant.data.account;
      return apiKeys.find(token)?.account;
    },
    unavailable: (reply: FastifyReply) =>
      notionError(
        reply,
        503,
        'service_unavailable',
        'Notion is unavailable, please try again later.',
      ),
  });

  api.route({
    method: 'POST',
    path: '/v1/search',
    handle: (account, request) => {
      const body = (request.body ?? {}) as { query?: unknown };
      const query = typeof body.query === 'string' ? body.query.toLowerCase() : '';
      const pages = [
        { id: '2f1c0b6e-0ada-4c0d-9e1a-ace000000101', title: 'Roadmap' },
        { id: '2f1c0b6e-0ada-4c0d-9e1a-ace000000102', title: 'Meeting notes' },
      ].filter((p) => p.title.toLowerCase().includes(query));
      return {
        object: 'list',
        results: pages.map((p) => ({
          object: 'page',
          id: p.id,
          created_time: '2026-01-05T09:00:00.000Z',
          last_edited_time: '2026-01-06T10:30:00.000Z',
          parent: { type: 'workspace', workspace: true },
          archived: false,
          in_trash: false,
          properties: {
            title: {
              id: 'title',
              type: 'title',
              title: [{ type: 'text', text: { content: p.title }, plain_text: p.title }],
            },
          },
          url: `https://www.notion.so/${p.title.replace(/\s+/g, '-')}-${p.id.replace(/-/g, '')}`,
        })),
        next_cursor: null,
        has_more: false,
        type: 'page_or_database',
        page_or_database: {},
        workspace_name: account.workspaceName,
      };
    },
  });
}
