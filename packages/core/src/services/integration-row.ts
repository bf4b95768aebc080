import type { Em, Integration } from '@plugboard/db';
import { boolOf, dateOf, jsonOf, readRow, textOf } from './raw-rows';

/** The columns `resolve` reads: an entity, or a plain row (`integrationRow`). */
export type IntegrationColumns = Pick<
  Integration,
  'enabled' | 'mode' | 'clientId' | 'clientSecretEnc' | 'scopes' | 'updatedAt'
>;

/** The provider's stored row by a plain select: a flow's start and callback need no entity. */
export async function integrationRow(
  em: Em,
  providerId: string,
): Promise<IntegrationColumns | null> {
  const row = await readRow(
    em,
    'select enabled, mode, client_id, client_secret_enc, scopes, updated_at ' +
      'from integrations where provider_id = ?',
    [providerId],
  );
  return row
    ? {
        enabled: boolOf(row.enabled),
        mode: textOf(row.mode),
        clientId: textOf(row.client_id),
        clientSecretEnc: textOf(row.client_secret_enc),
        scopes: (jsonOf(row.scopes) ?? null) as string[] | null,
        updatedAt: dateOf(row.updated_at)!,
      }
    : null;
}
