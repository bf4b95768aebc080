import type { Account } from './accounts';
import type { ProviderContext } from './personality';

/**
 * An app setting that some providers let a developer turn on per app (GitHub's expiring user
 * tokens, Salesforce's and Slack's refresh-token rotation), as mock state:
 * `POST /__control/<id>/apps { clientId, <name>? }` turns `<name>` on for that client, or off
 * with `<name>: false`, and answers the setting as stored (plus `answer`'s fields). A reset
 * forgets every app. Each personality's file says what the setting changes and links the
 * provider's documentation of it.
 */
export function appSwitch<TAccount extends Account>(
  ctx: ProviderContext<TAccount>,
  name: string,
  answer: Record<string, string> = {},
) {
  let apps = new Map<string, boolean>();
  ctx.onReset(() => {
    apps = new Map();
  });
  ctx.controlRoute({
    method: 'POST',
    path: '/apps',
    handler: async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body.clientId !== 'string' || body.clientId === '') {
        return reply
          .status(400)
          .send({ error: 'invalid_request', message: '"clientId" is required.' });
      }
      const on = body[name] !== false;
      apps.set(body.clientId, on);
      return { clientId: body.clientId, ...answer, [name]: on };
    },
  });
  return {
    /** Whether the control API has named this client as an app at all. */
    known: (clientId: string) => apps.has(clientId),
    /** Whether the setting is on for this client (off for a client never named). */
    on: (clientId: string) => apps.get(clientId) === true,
  };
}
