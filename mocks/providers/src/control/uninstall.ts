import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MockState } from '../core/mock-state';

/**
 * `POST /__control/uninstall`: the provider-side "the user removed the app" — the mock sends the
 * provider's real, signed event to the URL given (what a developer registers in the provider's
 * dashboard) and answers with what that URL answered. Written from each provider's docs, not
 * from Plugboard's code:
 *
 * - `{ provider: 'shopify', url, clientId, shop }`: `app/uninstalled`, `X-Shopify-Hmac-Sha256` =
 *   base64 HMAC-SHA256 of the body with the registered client's secret
 *   (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify).
 * - `{ provider: 'stripe', url, signingSecret, account }`: `account.application.deauthorized`
 *   for the connected account, `Stripe-Signature: t=…,v1=…` (https://docs.stripe.com/webhooks#verify-manually).
 * - `{ provider: 'slack', url, signingSecret, teamId, event?: 'app_uninstalled' | 'tokens_revoked',
 *   userIds? }`: an Events API `event_callback`, `X-Slack-Signature: v0=…` over
 *   `v0:<timestamp>:<body>` (https://api.slack.com/authentication/verifying-requests-from-slack,
 *   https://api.slack.com/events/app_uninstalled, https://api.slack.com/events/tokens_revoked).
 *
 * `timestampOffsetSeconds` (Stripe, Slack) signs with a time that far in the past, to drive a
 * receiver's replay check.
 */
export function registerUninstallControl(control: FastifyInstance, state: MockState): void {
  control.post('/uninstall', async (request, reply) => {
    const input = (request.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : '');
    const provider = str('provider');
    const url = str('url');
    if (!/^https?:\/\//.test(url)) {
      return reply.status(400).send({ error: 'invalid_request', message: '"url" is required.' });
    }
    const offset =
      typeof input['timestampOffsetSeconds'] === 'number' ? input['timestampOffsetSeconds'] : 0;
    const unix = Math.floor(state.clock.now() / 1000) - offset;
    let body: string;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (provider === 'shopify') {
      const client = state.clients.find('shopify', str('clientId'));
      const shop = str('shop');
      if (!client || !shop) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: 'A registered "clientId" and "shop" are required.',
        });
      }
      body = JSON.stringify({
        id: 548380009,
        name: shop.split('.')[0],
        domain: shop,
        myshopify_domain: shop,
      });
      headers['x-shopify-topic'] = 'app/uninstalled';
      headers['x-shopify-shop-domain'] = shop;
      headers['x-shopify-api-version'] = '2026-01';
      headers['x-shopify-webhook-id'] = randomUUID();
      headers['x-shopify-hmac-sha256'] = createHmac('sha256', client.clientSecret)
        .update(body)
        .digest('base64');
    } else if (provider === 'stripe') {
      const secret = str('signingSecret');
      const account = str('account');
      if (!secret || !account) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"signingSecret" and "account" are required.',
        });
      }
      body = JSON.stringify({
        id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        object: 'event',
        api_version: '2026-01-28.clover',
        account,
        created: unix,
        livemode: false,
        type: 'account.application.deauthorized',
        data: { object: { id: 'ca_mock', object: 'application', name: 'Plugboard' } },
      });
      const sig = createHmac('sha256', secret).update(`${unix}.${body}`).digest('hex');
      headers['stripe-signature'] = `t=${unix},v1=${sig}`;
    } else if (provider === 'slack') {
      const secret = str('signingSecret');
      const teamId = str('teamId');
      if (!secret || !teamId) {
        return reply.status(400).send({
          error: 'invalid_request',
          message: '"signingSecret" and "teamId" are required.',
        });
      }
      const kind = str('event') || 'app_uninstalled';
      const userIds = Array.isArray(input['userIds']) ? input['userIds'] : [];
      body = JSON.stringify({
        token: 'mock-verification-token',
        team_id: teamId,
        api_app_id: 'A0MOCKAPP',
        event:
          kind === 'tokens_revoked'
            ? { type: 'tokens_revoked', tokens: { oauth: userIds, bot: [] } }
            : { type: 'app_uninstalled' },
        type: 'event_callback',
        event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        event_time: unix,
      });
      const sig = createHmac('sha256', secret).update(`v0:${unix}:${body}`).digest('hex');
      headers['x-slack-request-timestamp'] = String(unix);
      headers['x-slack-signature'] = `v0=${sig}`;
    } else {
      return reply.status(400).send({
        error: 'invalid_request',
        message: '"provider" must be shopify, stripe or slack.',
      });
    }
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  });
}
