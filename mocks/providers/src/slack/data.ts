import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';

interface SlackCaller {
  account: { teamId: string };
  scope: string;
}

/**
 * `conversations.list` (https://docs.slack.dev/reference/methods/conversations.list): Slack's Web
 * API answers HTTP 200 with `{ ok: false, error }` for auth failures too — `not_authed` without a
 * token, `invalid_auth` or `token_revoked` for a dead one
 * (https://docs.slack.dev/apis/web-api/#responses), `token_expired` for an expired rotating one
 * — and needs `channels:read`
 * (`missing_scope` otherwise).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext,
  opts: {
    find: (token: string) => SlackCaller | undefined;
    deadReason: (token: string) => string;
  },
): void {
  const slackError = (reply: FastifyReply, error: string) =>
    reply.status(200).send({ ok: false, error });
  // An expired rotating token is `token_expired`, as auth.test answers it
  // (https://docs.slack.dev/authentication/using-token-rotation).
  const refusal = (token: string | undefined) => {
    if (token === undefined) return 'not_authed';
    const reason = opts.deadReason(token);
    return reason === 'unknown'
      ? 'invalid_auth'
      : reason === 'expired'
        ? 'token_expired'
        : 'token_revoked';
  };
  const api = dataApi(router, ctx, {
    find: opts.find,
    refuse: (reply, token) => slackError(reply, refusal(token)),
    unavailable: (reply) => reply.send({ ok: false, error: 'service_unavailable' }),
  });

  for (const method of ['GET', 'POST'] as const) {
    api.route({
      method,
      path: '/api/conversations.list',
      handle: (caller, _request, reply) => {
        if (!caller.scope.split(/[ ,]/).includes('channels:read')) {
          return reply.send({ ok: false, error: 'missing_scope', needed: 'channels:read' });
        }
        return {
          ok: true,
          channels: [
            {
              id: 'C0ACME00001',
              name: 'general',
              is_channel: true,
              is_private: false,
              is_archived: false,
              is_general: true,
              context_team_id: caller.account.teamId,
              created: 1_700_000_000,
              num_members: 12,
              topic: { value: 'Company-wide announcements', creator: '', last_set: 0 },
            },
          ],
          response_metadata: { next_cursor: '' },
        };
      },
    });
  }
}
