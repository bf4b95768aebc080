import { Migration } from '@mikro-orm/migrations';

/**
 * Active connections by access-token expiry: what the background refresh and the refresh-queue
 * gauge (packages/core/src/services/queue-depth.ts) look up, as an index range instead of a scan
 * of every connection (postgresql).
 */
export class Migration20261202010000_connections_refresh_due_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index "connections_status_access_token_expires_at_index" on "connections" ("status", "access_token_expires_at");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index "connections_status_access_token_expires_at_index";');
  }
}
