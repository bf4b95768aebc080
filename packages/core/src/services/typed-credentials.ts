import {
  PlugboardError,
  type ApiKeyConnectInput,
  type ApiKeyConnectOutput,
} from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import { getConnectableProvider, verifyTypedCredentials } from '@plugboard/providers';
import type { CoreDeps } from '../deps';
import { telemetryOf } from '../telemetry';
import { upsertConnection } from './connections';
import { assertProviderEnabled, integrationConfig } from './integrations';
import type { SessionInfo } from './sessions';

/**
 * Connects an account from credentials the user typed (`connect.apiKey.connect`): the
 * provider's mode checks their form and has the provider confirm them with a real call, and
 * only then is anything written — every refusal (bad form, rejected, provider down) leaves the
 * database as it was. The values are never logged.
 */
export async function connectWithTypedCredentials(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  input: ApiKeyConnectInput,
): Promise<ApiKeyConnectOutput> {
  const entry = getConnectableProvider(input.providerId);
  await assertProviderEnabled(em, entry.id);
  const target = input.reconnectConnectionId
    ? await em.findOne(Connection, {
        id: input.reconnectConnectionId,
        externalUserId: session.externalUserId,
        providerId: input.providerId,
      })
    : null;
  if (input.reconnectConnectionId && !target) {
    throw new PlugboardError(
      'NOT_FOUND',
      'That connection does not exist or was removed. Connect the account again instead.',
    );
  }
  // Counted from the check of the values on (their form, then the provider's answer): a refusal
  // before that (an unknown or disabled provider, a missing connection) is not a connect tried.
  const finished = (outcome: 'completed' | 'failed', errorCode: string | null) =>
    telemetryOf(deps).connectFlowFinished({
      providerId: entry.id,
      outcome,
      errorCode,
      durationMs: null,
    });
  let verified;
  try {
    verified = await verifyTypedCredentials(deps.modes, entry, input.values, {
      http: deps.http,
      config: await integrationConfig(em, deps, entry.id),
    });
  } catch (err) {
    const errorCode = err instanceof PlugboardError ? err.code : 'INTERNAL';
    deps.logger.warn({ providerId: entry.id, errorCode }, 'typed credentials refused');
    finished('failed', errorCode);
    throw err;
  }
  if (target && target.accountId !== verified.account.accountId) {
    finished('failed', 'RECONNECT_ACCOUNT_MISMATCH');
    throw new PlugboardError(
      'RECONNECT_ACCOUNT_MISMATCH',
      `These credentials belong to another ${entry.name} account than the one you are reconnecting (${target.label}). Nothing was changed.`,
    );
  }
  const connection = await upsertConnection(em, deps, {
    providerId: entry.id,
    externalUserId: session.externalUserId,
    account: verified.account,
    credentials: verified.credentials,
  });
  finished('completed', null);
  deps.logger.info(
    { providerId: entry.id, connectionId: connection.id },
    'account connected with typed credentials',
  );
  return {
    connectionId: connection.id as ApiKeyConnectOutput['connectionId'],
    providerId: entry.id,
    accountLabel: connection.label,
  };
}
