import type { FastifyReply } from 'fastify';
import { dataApi } from '../core/data-api';
import type { ProviderContext, ProviderRouter } from '../core/personality';

const sfError = (reply: FastifyReply, status: number, errorCode: string, message: string) =>
  reply.status(status).send([{ message, errorCode }]);

/**
 * `GET /services/data/vXX.X/sobjects` (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_describeGlobal.htm)
 * on the org's instance URL. A missing, expired or revoked session is 401
 * `INVALID_SESSION_ID` "Session expired or invalid"
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm).
 */
export function registerDataRoutes<G>(
  router: ProviderRouter,
  ctx: ProviderContext,
  find: (token: string) => G | undefined,
): void {
  const api = dataApi(router, ctx, {
    find,
    refuse: (reply) => sfError(reply, 401, 'INVALID_SESSION_ID', 'Session expired or invalid'),
    unavailable: (reply) =>
      sfError(reply, 503, 'SERVER_UNAVAILABLE', 'The server is temporarily unavailable.'),
  });

  api.route({
    path: '/services/data/:version/sobjects',
    handle: (_grant, request, reply) => {
      const { version } = request.params as { version: string };
      if (!/^v\d{2}\.0$/.test(version)) {
        return sfError(reply, 404, 'NOT_FOUND', 'The requested resource does not exist');
      }
      const sobject = (name: string, label: string, keyPrefix: string) => ({
        name,
        label,
        labelPlural: `${label}s`,
        keyPrefix,
        custom: false,
        queryable: true,
        createable: true,
        urls: { sobject: `/services/data/${version}/sobjects/${name}` },
      });
      return {
        encoding: 'UTF-8',
        maxBatchSize: 200,
        sobjects: [
          sobject('Account', 'Account', '001'),
          sobject('Contact', 'Contact', '003'),
          sobject('Opportunity', 'Opportunity', '006'),
        ],
      };
    },
  });
}
