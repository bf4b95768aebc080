import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Grant } from '../core/grants';
import type { StripeAccount } from './account';
import type { StripeGrantData, StripeScope } from './stores';

/** Stripe answers every call with a `request-id`; clients log it. */
function requestId(): string {
  return `req_${randomBytes(7).toString('hex')}`;
}

/** connect.stripe.com's OAuth error body (`/oauth/token`, `/oauth/deauthorize`). */
export function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  return reply
    .status(status)
    .header('request-id', requestId())
    .send({ error, error_description: description });
}

/** api.stripe.com's error body (`/v1/…`). */
export function apiError(reply: FastifyReply, status: number, type: string, message: string) {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="Stripe"');
  return reply.status(status).header('request-id', requestId()).send({ error: { message, type } });
}

/** How Stripe echoes a key in errors: never whole, only its start and last four characters. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '****';
  const underscore = key.lastIndexOf('_', 8);
  const prefix = underscore > 0 ? key.slice(0, underscore + 1) : '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

/**
 * The connected account's publishable key. Stable per account (Stripe returns the account's own
 * key, not one per grant), so it is derived rather than random.
 */
function publishableKey(accountId: string): string {
  return `pk_test_${createHash('sha256').update(`pk\u0000${accountId}`).digest('base64url').slice(0, 40)}`;
}

/** stripe-node `OAuthToken`. */
export function tokenResponse(
  grant: Grant<StripeGrantData>,
  scope: StripeScope = grant.data.scope,
) {
  return {
    access_token: grant.accessToken,
    livemode: false,
    refresh_token: grant.refreshToken,
    token_type: 'bearer',
    stripe_publishable_key: publishableKey(grant.data.account.accountId),
    stripe_user_id: grant.data.account.accountId,
    scope,
  };
}

/** A fixed creation time (2023-11-14), so account objects are identical run to run. */
const ACCOUNT_CREATED = 1_700_000_000;

/** stripe-node `Account`, trimmed to what a connected Standard account shows its platform. */
export function accountObject(account: StripeAccount) {
  return {
    id: account.accountId,
    object: 'account',
    business_profile: {
      mcc: null,
      name: account.businessName,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: 'company',
    capabilities: {
      card_payments: account.chargesEnabled ? 'active' : 'inactive',
      transfers: account.payoutsEnabled ? 'active' : 'inactive',
    },
    charges_enabled: account.chargesEnabled,
    controller: { type: 'account' },
    country: account.country,
    created: ACCOUNT_CREATED,
    default_currency: account.defaultCurrency,
    details_submitted: true,
    email: account.email,
    metadata: {},
    payouts_enabled: account.payoutsEnabled,
    settings: {
      dashboard: { display_name: account.displayName, timezone: 'Etc/UTC' },
    },
    type: account.type,
  };
}
