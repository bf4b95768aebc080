import type { FastifyReply } from 'fastify';
import type { Grant } from '../core/grants';
import type { ZoomAccount } from './account';

/** What a Zoom grant remembers. */
export interface ZoomGrantData {
  account: ZoomAccount;
  scope: string;
}

export type ZoomOAuthError =
  'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type';

/**
 * zoom.us/oauth answers `{reason, error}`
 * (https://developers.zoom.us/docs/integrations/oauth-error-messages/). Zoom's own messages echo
 * the bad code back ("Invalid authorization code <code>"); the mock never puts a code or token in a
 * response body, so its reasons stop before the value.
 */
export function oauthError(
  reply: FastifyReply,
  status: number,
  error: ZoomOAuthError,
  reason: string,
) {
  return reply.status(status).header('cache-control', 'no-store').send({ reason, error });
}

export const invalidClient = (reply: FastifyReply) =>
  oauthError(reply, 401, 'invalid_client', 'Invalid client_id or client_secret');

/** api.zoom.us error body. */
export function apiError(reply: FastifyReply, status: number, code: number, message: string) {
  return reply.status(status).send({ code, message });
}

/**
 * Zoom's 401 code 124 for a dead token, on the identity and data routes alike: an expired one
 * is worded differently from an unknown or revoked one
 * (https://developers.zoom.us/docs/api/using-zoom-apis/#error-codes).
 */
export const refuseZoomToken =
  (isExpired: (token: string) => boolean) => (reply: FastifyReply, token: string | undefined) =>
    apiError(
      reply,
      401,
      124,
      token !== undefined && isExpired(token)
        ? 'Access token is expired.'
        : 'Invalid access token.',
    );

export function tokenResponse(grant: Grant<ZoomGrantData>, apiUrl: string) {
  return {
    access_token: grant.accessToken,
    token_type: 'bearer',
    refresh_token: grant.refreshToken,
    expires_in: 3599,
    scope: grant.data.scope,
    api_url: apiUrl,
  };
}

/** `GET /v2/users/me`; fixed timestamps, so responses are stable. */
export function userResponse(account: ZoomAccount) {
  return {
    id: account.id,
    first_name: account.firstName,
    last_name: account.lastName,
    display_name: `${account.firstName} ${account.lastName}`,
    email: account.email,
    type: account.type,
    role_name: 'Owner',
    pmi: account.pmi,
    use_pmi: false,
    personal_meeting_url: `https://zoom.us/j/${account.pmi}`,
    timezone: account.timezone,
    verified: 1,
    dept: '',
    created_at: '2024-01-15T09:00:00Z',
    last_login_time: '2024-06-01T09:00:00Z',
    pic_url: account.picUrl,
    language: account.language,
    phone_number: '',
    status: account.status,
    role_id: '0',
    account_id: account.accountId,
    account_number: 1_000_001,
    cluster: 'us06',
    user_created_at: '2024-01-15T09:00:00Z',
  };
}
