import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Grant } from '../core/grants';
import type { MockClock } from '../core/clock';
import type { PayPalGrantData } from './stores';
import { ACCESS_TOKEN_TTL } from './stores';

/** A PayPal debug id, sent with every REST error (and as the `paypal-debug-id` header). */
export function debugId(): string {
  return randomBytes(7).toString('hex');
}

/** The OAuth endpoints' error body. */
export function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="PayPal"');
  return reply
    .status(status)
    .header('paypal-debug-id', debugId())
    .send({ error, error_description: description });
}

/** The REST APIs' error body (`{name, message, debug_id, details}`). */
export function restError(
  reply: FastifyReply,
  status: number,
  name: string,
  message: string,
  details: { field: string; issue: string }[] = [],
) {
  const id = debugId();
  return reply
    .status(status)
    .header('paypal-debug-id', id)
    .send({ name, message, debug_id: id, details });
}

/** The app id PayPal reports for a client: stable per client, `APP-` + 17 characters. */
export function appId(clientId: string): string {
  const digest = createHash('sha256').update(`app\u0000${clientId}`).digest('hex');
  return `APP-${digest.slice(0, 17).toUpperCase()}`;
}

/** PayPal's `nonce`: the issue time (seconds precision) followed by random characters. */
function tokenNonce(clock: MockClock): string {
  const time = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `${time}${randomBytes(32).toString('base64url')}`;
}

/** The token response, shared by the code and refresh grants (which adds no refresh token). */
export function tokenResponse(
  grant: Grant<PayPalGrantData>,
  clock: MockClock,
  extra: { refreshToken?: string | null; idToken?: string } = {},
) {
  return {
    scope: grant.data.scopes.join(' '),
    access_token: grant.accessToken,
    token_type: 'Bearer',
    app_id: appId(grant.clientId),
    expires_in: ACCESS_TOKEN_TTL,
    ...(extra.refreshToken == null ? {} : { refresh_token: extra.refreshToken }),
    nonce: tokenNonce(clock),
    ...(extra.idToken === undefined ? {} : { id_token: extra.idToken }),
  };
}
