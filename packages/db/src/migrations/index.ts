import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000_initial as PgInitial } from './postgresql/Migration20261122000000_initial';
import { Migration20261122000000_initial as SqliteInitial } from './sqlite/Migration20261122000000_initial';
import { Migration20261122010000_refresh_lease as PgRefreshLease } from './postgresql/Migration20261122010000_refresh_lease';
import { Migration20261122010000_refresh_lease as SqliteRefreshLease } from './sqlite/Migration20261122010000_refresh_lease';
import { Migration20261122020000_headless_attempts as PgHeadless } from './postgresql/Migration20261122020000_headless_attempts';
import { Migration20261122020000_headless_attempts as SqliteHeadless } from './sqlite/Migration20261122020000_headless_attempts';
import { Migration20261122030000_webhooks as PgWebhooks } from './postgresql/Migration20261122030000_webhooks';
import { Migration20261122030000_webhooks as SqliteWebhooks } from './sqlite/Migration20261122030000_webhooks';
import { Migration20261122040000_telegram_flows as PgTelegramFlows } from './postgresql/Migration20261122040000_telegram_flows';
import { Migration20261122040000_telegram_flows as SqliteTelegramFlows } from './sqlite/Migration20261122040000_telegram_flows';
import { Migration20261201000000_reconnect_attempts as PgReconnect } from './postgresql/Migration20261201000000_reconnect_attempts';
import { Migration20261201000000_reconnect_attempts as SqliteReconnect } from './sqlite/Migration20261201000000_reconnect_attempts';
import { Migration20261201220000_session_locale as PgSessionLocale } from './postgresql/Migration20261201220000_session_locale';
import { Migration20261201220000_session_locale as SqliteSessionLocale } from './sqlite/Migration20261201220000_session_locale';
import { Migration20261202003000_audit_log as PgAuditLog } from './postgresql/Migration20261202003000_audit_log';
import { Migration20261202003000_audit_log as SqliteAuditLog } from './sqlite/Migration20261202003000_audit_log';
import { Migration20261202003100_retention_indexes as PgRetentionIndexes } from './postgresql/Migration20261202003100_retention_indexes';
import { Migration20261202003100_retention_indexes as SqliteRetentionIndexes } from './sqlite/Migration20261202003100_retention_indexes';
import { Migration20261202010000_connect_token_intent as PgConnectTokenIntent } from './postgresql/Migration20261202010000_connect_token_intent';
import { Migration20261202010000_connect_token_intent as SqliteConnectTokenIntent } from './sqlite/Migration20261202010000_connect_token_intent';
import { Migration20261202010000_connections_refresh_due_index as PgRefreshDueIndex } from './postgresql/Migration20261202010000_connections_refresh_due_index';
import { Migration20261202010000_connections_refresh_due_index as SqliteRefreshDueIndex } from './sqlite/Migration20261202010000_connections_refresh_due_index';
import { Migration20261202020000_api_clients_and_scopes as PgApiClients } from './postgresql/Migration20261202020000_api_clients_and_scopes';
import { Migration20261202020000_api_clients_and_scopes as SqliteApiClients } from './sqlite/Migration20261202020000_api_clients_and_scopes';
import { Migration20261202040000_connect_flows as PgConnectFlows } from './postgresql/Migration20261202040000_connect_flows';
import { Migration20261202040000_connect_flows as SqliteConnectFlows } from './sqlite/Migration20261202040000_connect_flows';
import { Migration20261202040000_integrations as PgIntegrations } from './postgresql/Migration20261202040000_integrations';
import { Migration20261202040000_integrations as SqliteIntegrations } from './sqlite/Migration20261202040000_integrations';
import { Migration20261202041000_idempotency_records as PgIdempotency } from './postgresql/Migration20261202041000_idempotency_records';
import { Migration20261202041000_idempotency_records as SqliteIdempotency } from './sqlite/Migration20261202041000_idempotency_records';
import { Migration20261202040000_connect_token_reconnect as PgConnectTokenReconnect } from './postgresql/Migration20261202040000_connect_token_reconnect';
import { Migration20261202040000_connect_token_reconnect as SqliteConnectTokenReconnect } from './sqlite/Migration20261202040000_connect_token_reconnect';

import { Migration20261202040000_connections_refresh_schedule as PgRefreshSchedule } from './postgresql/Migration20261202040000_connections_refresh_schedule';
import { Migration20261202040000_connections_refresh_schedule as SqliteRefreshSchedule } from './sqlite/Migration20261202040000_connections_refresh_schedule';
/**
 * Migrations are listed explicitly (not discovered from a folder) so they run the same from
 * source, in tests and from a bundle. Each dialect has its own: SQL differs.
 */
export const sqliteMigrations: MigrationObject[] = [
  { name: 'Migration20261122000000_initial', class: SqliteInitial },
  { name: 'Migration20261122010000_refresh_lease', class: SqliteRefreshLease },
  { name: 'Migration20261122020000_headless_attempts', class: SqliteHeadless },
  { name: 'Migration20261122030000_webhooks', class: SqliteWebhooks },
  { name: 'Migration20261122040000_telegram_flows', class: SqliteTelegramFlows },
  { name: 'Migration20261201000000_reconnect_attempts', class: SqliteReconnect },
  { name: 'Migration20261201220000_session_locale', class: SqliteSessionLocale },
  { name: 'Migration20261202003000_audit_log', class: SqliteAuditLog },
  { name: 'Migration20261202003100_retention_indexes', class: SqliteRetentionIndexes },
  { name: 'Migration20261202010000_connect_token_intent', class: SqliteConnectTokenIntent },
  {
    name: 'Migration20261202010000_connections_refresh_due_index',
    class: SqliteRefreshDueIndex,
  },
  { name: 'Migration20261202020000_api_clients_and_scopes', class: SqliteApiClients },
  { name: 'Migration20261202040000_connect_flows', class: SqliteConnectFlows },
  { name: 'Migration20261202040000_integrations', class: SqliteIntegrations },
  { name: 'Migration20261202041000_idempotency_records', class: SqliteIdempotency },
  {
    name: 'Migration20261202040000_connect_token_reconnect',
    class: SqliteConnectTokenReconnect,
  },
  { name: 'Migration20261202040000_connections_refresh_schedule', class: SqliteRefreshSchedule },
];
export const postgresqlMigrations: MigrationObject[] = [
  { name: 'Migration20261122000000_initial', class: PgInitial },
  { name: 'Migration20261122010000_refresh_lease', class: PgRefreshLease },
  { name: 'Migration20261122020000_headless_attempts', class: PgHeadless },
  { name: 'Migration20261122030000_webhooks', class: PgWebhooks },
  { name: 'Migration20261122040000_telegram_flows', class: PgTelegramFlows },
  { name: 'Migration20261201000000_reconnect_attempts', class: PgReconnect },
  { name: 'Migration20261201220000_session_locale', class: PgSessionLocale },
  { name: 'Migration20261202003000_audit_log', class: PgAuditLog },
  { name: 'Migration20261202003100_retention_indexes', class: PgRetentionIndexes },
  { name: 'Migration20261202010000_connect_token_intent', class: PgConnectTokenIntent },
  { name: 'Migration20261202010000_connections_refresh_due_index', class: PgRefreshDueIndex },
  { name: 'Migration20261202020000_api_clients_and_scopes', class: PgApiClients },
  { name: 'Migration20261202040000_connect_flows', class: PgConnectFlows },
  { name: 'Migration20261202040000_integrations', class: PgIntegrations },
  { name: 'Migration20261202041000_idempotency_records', class: PgIdempotency },
  { name: 'Migration20261202040000_connect_token_reconnect', class: PgConnectTokenReconnect },
  { name: 'Migration20261202040000_connections_refresh_schedule', class: PgRefreshSchedule },
];
