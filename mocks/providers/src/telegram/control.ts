import { normalizePhone } from './accounts';
import type { TelegramDeps } from './methods';
import { objectBody } from './rpc';

/**
 * Test controls under `/__control/telegram/…`: read a phone's messages (the codes) without a
 * browser, and approve a QR token as a phone would. Errors use the control API's
 * `{ error, message }` shape.
 */
export function registerTelegramControl(deps: TelegramDeps): void {
  const { ctx, state, accounts } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();

  ctx.controlRoute({
    method: 'GET',
    path: '/inbox',
    handler: async (request, reply) => {
      const phone = normalizePhone(objectBody(request.query)['phone']);
      if (phone === undefined) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"phone" must be a phone number such as +15550000001.',
        });
      }
      const now = ctx.clock.now();
      return {
        phone: `+${phone}`,
        messages: state.inbox(phone).map((m) => ({
          code: m.code,
          sentAt: iso(m.sentAt),
          expiresAt: iso(m.expiresAt),
          used: m.used,
          expired: now >= m.expiresAt,
        })),
      };
    },
  });

  ctx.controlRoute({
    method: 'GET',
    path: '/qr',
    handler: async () => ({
      tokens: state
        .pendingLoginTokens()
        .map((t) => ({ token: t.token, apiId: t.apiId, expiresAt: iso(t.expiresAt) })),
    }),
  });

  ctx.controlRoute({
    method: 'POST',
    path: '/qr/approve',
    handler: async (request, reply) => {
      const input = objectBody(request.body);
      const token = input['token'];
      const phone = normalizePhone(input['phone']);
      const account = phone === undefined ? undefined : accounts.byPhone(phone);
      if (typeof token !== 'string' || token === '' || account === undefined) {
        const known = accounts
          .all()
          .map((a) => `+${a.phone}`)
          .join(', ');
        return reply.status(400).send({
          error: 'invalid_request',
          message: `"token" is required and "phone" must be a test account's number (${known}).`,
        });
      }
      const result = state.approveLoginToken(token, account.userId);
      if (!result.ok) {
        const [status, message] = {
          unknown: [404, 'No such login token.'] as const,
          expired: [400, 'The login token has expired; export a new one.'] as const,
          already_accepted: [409, 'The login token was already approved.'] as const,
        }[result.reason];
        return reply.status(status).send({ error: `token_${result.reason}`, message });
      }
      return { ok: true, userId: account.userId };
    },
  });
}
