import { resealWithCurrentKey } from '@plugboard/core';
import { loadEnv } from './env';
import { loadKeyring, openDatabase } from './runtime';

/**
 * `pnpm --filter @plugboard/server reseal`: after putting a new key first in
 * PLUGBOARD_ENCRYPTION_KEYS, re-seals everything still sealed with an older key. When it reports
 * nothing left, the old key can be removed.
 */
const env = loadEnv();
const keyring = loadKeyring(env);
const orm = await openDatabase(env);
try {
  const report = await resealWithCurrentKey(orm.em.fork(), keyring);
  process.stdout.write(
    `Re-sealed with key "${keyring.currentKeyId}": ${report.connections} connections, ` +
      `${report.attempts} attempts, ${report.webhookEndpoints} webhook secrets, ` +
      `${report.connectFlows} sign-ins in progress, ${report.integrations} integration client secrets, ` +
      `${report.idempotencyRecords} stored REST answers (Idempotency-Key).\n` +
      (report.compacted
        ? 'The SQLite file was compacted (VACUUM): it holds no ciphertext of an older key.\n'
        : 'PostgreSQL keeps the replaced row versions in the table files until VACUUM FULL ' +
          'connections, auth_attempts, webhook_endpoints, connect_flows, integrations, idempotency_records (see README, "Key rotation").\n'),
  );
} finally {
  await orm.close();
}
