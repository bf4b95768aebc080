import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';
import type { GoogleAccount } from '.';

/** Google APIs' error body (https://cloud.google.com/apis/design/errors#http_mapping). */
function googleError(
  reply: FastifyReply,
  code: number,
  status: string,
  message: string,
  reason: string,
) {
  return reply.status(code).send({
    error: { code, message, errors: [{ message, domain: 'global', reason }], status },
  });
}

const DRIVE_READ = [
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.metadata.readonly',
  'https://www.googleapis.com/auth/drive.file',
];

/**
 * `GET /drive/v3/files` (https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list)
 * with a Bearer access token holding a Drive scope. A missing, expired or revoked token is 401
 * `UNAUTHENTICATED` with `WWW-Authenticate: Bearer … error="invalid_token"`; a token without a
 * Drive scope is 403 `PERMISSION_DENIED` (`insufficientPermissions`).
 */
export function registerDataRoutes(
  router: ProviderRouter,
  ctx: ProviderContext<GoogleAccount>,
  find: (token: string) => { data: { account: GoogleAccount; scope: string } } | undefined,
): void {
  const api = dataApi(router, ctx, {
    find: (token) => find(token)?.data,
    refuse: (reply) =>
      googleError(
        reply.header(
          'www-authenticate',
          'Bearer realm="https://accounts.google.com/", error="invalid_token"',
        ),
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        'authError',
      ),
    unavailable: (reply) =>
      googleError(
        reply,
        503,
        'UNAVAILABLE',
        'The service is currently unavailable.',
        'backendError',
      ),
  });

  api.route({
    path: '/drive/v3/files',
    handle: (grant, _request, reply) => {
      if (!grant.scope.split(' ').some((s) => DRIVE_READ.includes(s))) {
        return googleError(
          reply,
          403,
          'PERMISSION_DENIED',
          'Request had insufficient authentication scopes.',
          'insufficientPermissions',
        );
      }
      return {
        kind: 'drive#fileList',
        incompleteSearch: false,
        files: [
          {
            kind: 'drive#file',
            id: '1AcmeFileId000000000000000000001',
            name: 'Engine notes',
            mimeType: 'application/vnd.google-apps.document',
          },
          {
            kind: 'drive#file',
            id: '1AcmeFileId000000000000000000002',
            name: 'Budget 2026.xlsx',
            mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          },
        ],
      };
    },
  });
}
