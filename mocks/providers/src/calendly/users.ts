import { bearerRoute } from '../core/bearer';
import { scopeList } from '../core/flow';
import type { ProviderRouter } from '../core/personality';
import { apiError, userResource } from './responses';
import type { CalendlyStores } from './stores';

/** Calendly's 401 messages for each way a token can be dead. */
const UNAUTHENTICATED = {
  unknown: 'The access token is invalid',
  expired: 'The access token expired',
  revoked: 'The access token is revoked',
} as const;

/**
 * Scopes are enforced (https://developer.calendly.com/scopes): an app created since 2026-03-03
 * that asked for none (`default`) gets no API access, and a `:write` scope includes its `:read`.
 * The 403 wording is the mock's; Calendly's own is not documented.
 */
function hasScope(granted: string, needed: string): boolean {
  const scopes = scopeList(granted);
  return scopes.includes(needed) || scopes.includes(needed.replace(/:read$/, ':write'));
}

/** `GET /users/me` (api.calendly.com): the user behind the token, with `users:read`. */
export function registerUserRoutes(router: ProviderRouter, stores: CalendlyStores): void {
  bearerRoute(router, {
    path: '/users/me',
    endpoint: 'identity',
    find: (token) => stores.tokens.findByAccessToken(token),
    refuse: (reply, token) => {
      const reason = token === undefined ? 'unknown' : stores.deadReason(token);
      return apiError(reply, 401, 'Unauthenticated', UNAUTHENTICATED[reason]);
    },
    handle: (grant, _request, reply) =>
      hasScope(grant.data.scope, 'users:read')
        ? userResource(grant.data.account)
        : apiError(
            reply,
            403,
            'Permission Denied',
            'This request requires the users:read scope, which the token was not granted.',
          ),
  });
}
