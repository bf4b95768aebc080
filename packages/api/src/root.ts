import { connectApiKey } from './routers/connect/api-key/connect-api-key';
import { getAttempt } from './routers/connect/attempts/get-attempt';
import { disconnectConnection } from './routers/connect/connections/disconnect-connection';
import { listConnections } from './routers/connect/connections/list-connections';
import { startOAuth } from './routers/connect/oauth/start-oauth';
import { startPopupOAuth } from './routers/connect/oauth/start-popup-oauth';
import { listProviders } from './routers/connect/providers/list-providers';
import { getMe } from './routers/connect/session/get-me';
import { sendCode as sendTelegramCode } from './routers/connect/telegram/send-code';
import { startQr as startTelegramQr } from './routers/connect/telegram/start-qr';
import { verifyCode as verifyTelegramCode } from './routers/connect/telegram/verify-code';
import { verifyPassword as verifyTelegramPassword } from './routers/connect/telegram/verify-password';
import { watchQr as watchTelegramQr } from './routers/connect/telegram/watch-qr';
import { getTheme } from './routers/connect/theme/get-theme';
import { createApiClient } from './routers/server/api-clients/create-api-client';
import { listApiClients } from './routers/server/api-clients/list-api-clients';
import { revokeApiClient } from './routers/server/api-clients/revoke-api-client';
import { createApiKey } from './routers/server/api-keys/create-api-key';
import { listApiKeys } from './routers/server/api-keys/list-api-keys';
import { revokeApiKey } from './routers/server/api-keys/revoke-api-key';
import { listAuditLog } from './routers/server/audit-log/list-audit-log';
import { disableIntegration } from './routers/server/integrations/disable-integration';
import { getIntegration } from './routers/server/integrations/get-integration';
import { listIntegrations } from './routers/server/integrations/list-integrations';
import { upsertIntegration } from './routers/server/integrations/upsert-integration';
import { createConnectToken } from './routers/server/connect-tokens/create-connect-token';
import { deleteConnection } from './routers/server/connections/delete-connection';
import { getConnection } from './routers/server/connections/get-connection';
import { getCredentials } from './routers/server/connections/get-credentials';
import { listConnections as listServerConnections } from './routers/server/connections/list-connections';
import { proxyCall } from './routers/server/connections/proxy-call';
import { completeOAuth } from './routers/server/oauth/complete-oauth';
import { startOAuth as startHeadlessOAuth } from './routers/server/oauth/start-oauth';
import { createWebhook } from './routers/server/webhooks/create-webhook';
import { deleteWebhook } from './routers/server/webhooks/delete-webhook';
import { listDeliveries } from './routers/server/webhooks/list-deliveries';
import { listWebhooks } from './routers/server/webhooks/list-webhooks';
import { router } from './trpc';

/** `connect.*`: the Connect UI, authenticated by the session cookie. */
const connectRouter = router({
  session: router({ me: getMe }),
  theme: router({ get: getTheme }),
  providers: router({ list: listProviders }),
  connections: router({ list: listConnections, disconnect: disconnectConnection }),
  oauth: router({ start: startOAuth, startInPopup: startPopupOAuth }),
  apiKey: router({ connect: connectApiKey }),
  attempts: router({ get: getAttempt }),
  telegram: router({
    sendCode: sendTelegramCode,
    verifyCode: verifyTelegramCode,
    verifyPassword: verifyTelegramPassword,
    qr: router({ start: startTelegramQr, watch: watchTelegramQr }),
  }),
});

/** `server.*`: host-app backends, by API key or client token; scopes in scopes.ts. */
const serverRouter = router({
  connectTokens: router({ create: createConnectToken }),
  oauth: router({ start: startHeadlessOAuth, complete: completeOAuth }),
  connections: router({
    list: listServerConnections,
    get: getConnection,
    delete: deleteConnection,
    credentials: getCredentials,
    proxy: proxyCall,
  }),
  webhooks: router({
    create: createWebhook,
    list: listWebhooks,
    delete: deleteWebhook,
    deliveries: listDeliveries,
  }),
  auditLog: router({ list: listAuditLog }),
  apiKeys: router({ create: createApiKey, list: listApiKeys, revoke: revokeApiKey }),
  apiClients: router({ create: createApiClient, list: listApiClients, revoke: revokeApiClient }),
  integrations: router({
    list: listIntegrations,
    get: getIntegration,
    upsert: upsertIntegration,
    disable: disableIntegration,
  }),
});

export const appRouter = router({ connect: connectRouter, server: serverRouter });
export type AppRouter = typeof appRouter;
