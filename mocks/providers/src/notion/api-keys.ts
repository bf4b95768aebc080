import { randomUUID } from 'node:crypto';
import {
  createApiKeyStore,
  randomAlnum,
  type ApiKeyStore,
  type IssuedApiKey,
} from '../core/api-keys';
import type { ProviderContext } from '../core/personality';
import type { NotionAccount } from './account';

/**
 * Internal integration secrets (`ntn_…`, https://developers.notion.com/docs/authorization#internal-integration-auth-flow-set-up)
 * for the `notion-internal` provider: `GET /v1/users/me` with one answers the integration's bot
 * user, owned by the workspace (https://developers.notion.com/reference/get-self).
 */
export function createNotionApiKeys(ctx: ProviderContext): ApiKeyStore<NotionAccount> {
  return createApiKeyStore(ctx, {
    provider: 'notion-internal',
    secretField: 'token',
    issue: () => ({ token: `ntn_${randomAlnum(46)}` }),
    account: () => ctx.currentAccount() as NotionAccount,
    dev: { token: 'ntn_devPlugboardMockInternalIntegration0001' },
  });
}

export function internalBotUser(key: IssuedApiKey<NotionAccount>) {
  const { account } = key;
  return {
    object: 'user',
    // One internal integration per workspace: its bot id follows the workspace.
    id: `${account.workspaceId.slice(0, -12)}b0000000${account.workspaceId.slice(-4)}`,
    name: 'Plugboard (internal)',
    avatar_url: null,
    type: 'bot',
    bot: {
      owner: { type: 'workspace', workspace: true },
      workspace_id: account.workspaceId,
      workspace_name: account.workspaceName,
      workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
    },
    request_id: randomUUID(),
  };
}
