import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { migrate, openOrm, type DatabaseConfig } from './orm';
import { createPostgresTestDatabase } from './testing';

const tmp = mkdtempSync(join(tmpdir(), 'plugboard-db-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const pgUrl = inject('postgresUrl');
const dialects: [string, () => Promise<DatabaseConfig>][] = [
  ['sqlite', async () => ({ kind: 'sqlite', path: join(tmp, 'migrate.db') })],
];
if (pgUrl)
  dialects.push([
    'postgresql',
    async () => ({ kind: 'postgresql', url: await createPostgresTestDatabase(pgUrl) }),
  ]);

describe.each(dialects)('migrations on %s', (_name, config) => {
  it('create exactly the schema the entities describe, and run once', async () => {
    const orm = await openOrm(await config());
    try {
      expect(await migrate(orm)).toEqual([
        'Migration20261122000000_initial',
        'Migration20261122010000_refresh_lease',
        'Migration20261122020000_headless_attempts',
        'Migration20261122030000_webhooks',
        'Migration20261122040000_telegram_flows',
        'Migration20261201000000_reconnect_attempts',
        'Migration20261201220000_session_locale',
        'Migration20261202003000_audit_log',
        'Migration20261202003100_retention_indexes',
        'Migration20261202010000_connect_token_intent',
        'Migration20261202010000_connections_refresh_due_index',
        'Migration20261202020000_api_clients_and_scopes',
        'Migration20261202040000_connect_flows',
        'Migration20261202040000_integrations',
        'Migration20261202041000_idempotency_records',
        'Migration20261202040000_connect_token_reconnect',
        'Migration20261202040000_connections_refresh_schedule',
      ]);
      // Drift between entities and migrations shows up as a non-empty diff.
      expect((await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
      expect(await migrate(orm)).toEqual([]);
    } finally {
      await orm.close();
    }
  });
});
