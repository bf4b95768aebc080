import type { FastifyReply } from 'fastify';
import { rfc6749Error } from '../core/flow';
import type { Grant } from '../core/grants';
import type { CalendlyAccount } from './account';
import { organizationUri, userUri } from './account';

/** What a Calendly grant remembers. */
export interface CalendlyGrantData {
  account: CalendlyAccount;
  scope: string;
}

/**
 * Calendly's auth host is Doorkeeper-based, so OAuth errors use Doorkeeper's RFC 6749 bodies and
 * its stock descriptions
 * (https://github.com/doorkeeper-gem/doorkeeper/blob/main/config/locales/en.yml).
 */
export const DESCRIPTIONS = {
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  access_denied: 'The resource owner or authorization server denied the request.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  unauthorized_revoke: 'You are not authorized to revoke this token',
} as const;

export function oauthError(
  reply: FastifyReply,
  status: number,
  error: string,
  description: string,
) {
  if (status === 401) reply.header('www-authenticate', 'Basic realm="Doorkeeper"');
  return rfc6749Error(reply, status, error, description);
}

/** Calendly API error body (`/users/me` and every other API route). */
export function apiError(reply: FastifyReply, status: number, title: string, message: string) {
  return reply.status(status).send({ title, message });
}

/** Calendly's 401 messages for each way a token can be dead. */
const UNAUTHENTICATED = {
  unknown: 'The access token is invalid',
  expired: 'The access token expired',
  revoked: 'The access token is revoked',
} as const;

/**
 * Calendly's 401 `Unauthenticated` for a missing or dead token, naming why it is dead, on
 * `/users/me` and the data routes alike (https://developer.calendly.com/api-docs/calendly-api/users/get-current-user).
 */
export const refuseCalendlyToken =
  (deadReason: (token: string) => keyof typeof UNAUTHENTICATED) =>
  (reply: FastifyReply, token: string | undefined) =>
    apiError(
      reply,
      401,
      'Unauthenticated',
      UNAUTHENTICATED[token === undefined ? 'unknown' : deadReason(token)],
    );

export function tokenResponse(grant: Grant<CalendlyGrantData>, expiresIn: number) {
  const { account, scope } = grant.data;
  return {
    token_type: 'Bearer',
    access_token: grant.accessToken,
    refresh_token: grant.refreshToken,
    scope,
    created_at: Math.floor(grant.issuedAt / 1000),
    expires_in: expiresIn,
    owner: userUri(account),
    organization: organizationUri(account),
  };
}

/** `GET /users/me` → `{ resource }`; timestamps are the mock's, fixed per account. */
export function userResource(account: CalendlyAccount) {
  return {
    resource: {
      uri: userUri(account),
      name: account.name,
      slug: account.slug,
      email: account.email,
      scheduling_url: `https://calendly.com/${account.slug}`,
      timezone: account.timezone,
      time_notation: '24h',
      avatar_url: account.avatarUrl,
      created_at: '2024-01-15T09:00:00.000000Z',
      updated_at: '2024-01-15T09:00:00.000000Z',
      current_organization: organizationUri(account),
      resource_type: 'User',
      locale: 'en',
    },
  };
}
