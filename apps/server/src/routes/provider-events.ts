import type { ProviderId } from '@plugboard/contracts';
import { integrationConfig, revokeFromProvider } from '@plugboard/core';
import { verifyShopifyWebhook, verifySlackEvent, verifyStripeWebhook } from '@plugboard/providers';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { perMinute, sendError, type RouteContext } from './context';

/**
 * Where providers tell Plugboard that access ended, each verified with the provider's own
 * signing scheme over the raw body (packages/providers/src/<id>/…-webhook.ts) before anything is
 * read or changed:
 *
 * - `POST /providers/shopify/events`: Shopify `app/uninstalled` (HMAC with the client secret).
 * - `POST /providers/stripe/events`: Stripe `account.application.deauthorized` (Stripe-Signature
 *   with STRIPE_WEBHOOK_SECRET, 5-minute tolerance).
 * - `POST /providers/slack/events`: the Slack Events API Request URL — `url_verification`,
 *   `app_uninstalled`, `tokens_revoked` (X-Slack-Signature with SLACK_WEBHOOK_SECRET, the app's
 *   signing secret; 5-minute tolerance).
 *
 * A bad signature is 401 SIGNATURE_INVALID, a stale timestamp 400 SIGNATURE_EXPIRED; either way
 * nothing changes. A verified event about no known connection, or of another type, is answered
 * 200 so the provider does not retry it.
 */
const BODY_LIMIT = 256 * 1024;

export function registerProviderEventRoutes(app: FastifyInstance, ctx: RouteContext): void {
  void app.register(async (scope) => {
    // The signatures cover the exact bytes sent: keep the body raw (this scope only).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const opts = { ...perMinute(ctx.env, 600), bodyLimit: BODY_LIMIT };
    // Read per event, like every other use (services/integrations.ts): a stored secret counts.
    const secretOf = (id: ProviderId) => integrationConfig(ctx.orm.em, ctx.deps, id);
    const raw = (body: unknown) => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    const ok = (reply: FastifyReply, revoked: number) =>
      reply.code(200).header('cache-control', 'no-store').send({ ok: true, revoked });

    scope.post('/providers/shopify/events', opts, async (req, reply) => {
      const hook = verifyShopifyWebhook(
        raw(req.body),
        req.headers,
        (await secretOf('shopify')).clientSecret,
      );
      if (!hook) return sendError(reply, 401, 'SIGNATURE_INVALID');
      if (hook.topic !== 'app/uninstalled') return ok(reply, 0);
      const revoked = await revokeFromProvider(ctx.orm.em.fork(), ctx.deps, {
        providerId: 'shopify',
        accounts: { accountIds: [hook.shop] },
        reason: 'app_uninstalled',
      });
      return ok(reply, revoked);
    });

    scope.post('/providers/stripe/events', opts, async (req, reply) => {
      const header = req.headers['stripe-signature'];
      const result = verifyStripeWebhook(
        raw(req.body),
        Array.isArray(header) ? header[0] : header,
        (await secretOf('stripe')).webhookSecret ?? '',
        ctx.deps.clock.now(),
      );
      if (!result.ok) return refuse(reply, result.reason);
      const { type, account } = result.event;
      if (type !== 'account.application.deauthorized' || !account) return ok(reply, 0);
      const revoked = await revokeFromProvider(ctx.orm.em.fork(), ctx.deps, {
        providerId: 'stripe',
        accounts: { accountIds: [account] },
        reason: 'account_deauthorized',
      });
      return ok(reply, revoked);
    });

    scope.post('/providers/slack/events', opts, async (req, reply) => {
      const result = verifySlackEvent(
        raw(req.body),
        req.headers,
        (await secretOf('slack')).webhookSecret ?? '',
        ctx.deps.clock.now(),
      );
      if (!result.ok) return refuse(reply, result.reason);
      const event = result.event;
      if (event.kind === 'url_verification') {
        // https://api.slack.com/events/url_verification: answer with the challenge.
        return reply.code(200).send({ challenge: event.challenge });
      }
      if (event.kind === 'other' || !/^[A-Z0-9]+$/.test(event.teamId)) return ok(reply, 0);
      // Slack connections are keyed `team:user` (packages/providers/src/slack/index.ts).
      const revoked = await revokeFromProvider(ctx.orm.em.fork(), ctx.deps, {
        providerId: 'slack',
        accounts:
          event.kind === 'app_uninstalled'
            ? { accountPrefix: `${event.teamId}:` }
            : { accountIds: event.userIds.map((u) => `${event.teamId}:${u}`) },
        reason: event.kind,
      });
      return ok(reply, revoked);
    });
  });
}

function refuse(reply: FastifyReply, reason: 'signature' | 'stale' | 'body') {
  if (reason === 'stale') return sendError(reply, 400, 'SIGNATURE_EXPIRED');
  if (reason === 'body')
    return sendError(reply, 400, 'VALIDATION_FAILED', 'The event body is not valid JSON.');
  return sendError(reply, 401, 'SIGNATURE_INVALID');
}
