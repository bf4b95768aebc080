import { bearerRoute } from '../core/bearer';
import { scopeList } from '../core/flow';
import type { ProviderRouter } from '../core/personality';
import { apiError, refuseCalendlyToken, userResource } from './responses';
import type { CalendlyStores } from './stores';

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
    refuse: refuseCalendlyToken((token) => stores.deadReason(token)),
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
