import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { TokenStore } from '../core/grants';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { GitHubAccount } from '.';

const apiError = (reply: FastifyReply, status: number, message: string, docs: string) =>
  reply.status(status).send({ message, documentation_url: docs, status: String(status) });

/**
 * `GET /user/repos` (https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user).
 * api.github.com refuses a request without User-Agent (403, text) before anything else
 * (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent),
 * takes `Authorization: Bearer …` or `token …`, and answers 401 "Requires authentication" or
 * "Bad credentials" (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<GitHubAccount>,
  tokens: TokenStore<{ account: GitHubAccount; scope: string }>,
): void {
  const docs =
    'https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user';
  const api = dataApi(router, ctx, {
    before: (request, reply) =>
      request.headers['user-agent'] === undefined
        ? reply
            .status(403)
            .type('text/plain; charset=utf-8')
            .send(
              'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.\n',
            )
        : undefined,
    token: (request) =>
      /^(?:Bearer|token)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1],
    find: (token) => tokens.findByAccessToken(token)?.data.account,
    refuse: (reply, token) =>
      token === undefined
        ? apiError(reply, 401, 'Requires authentication', docs)
        : apiError(reply, 401, 'Bad credentials', 'https://docs.github.com/rest'),
    unavailable: (reply) => reply.send({ message: 'Service Unavailable' }),
  });

  api.route({
    path: '/user/repos',
    handle: (account) => [
      {
        id: 700_000_001,
        node_id: 'R_kgDOKplug01',
        name: 'analytical-engine',
        full_name: `${account.login}/analytical-engine`,
        private: false,
        owner: { login: account.login, id: account.id, type: 'User' },
        html_url: `https://github.com/${account.login}/analytical-engine`,
        description: 'Notes on the engine',
        fork: false,
        default_branch: 'main',
        visibility: 'public',
        pushed_at: '2026-01-05T09:00:00Z',
      },
    ],
  });
}
