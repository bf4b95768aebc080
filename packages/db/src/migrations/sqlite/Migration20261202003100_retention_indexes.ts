import { Migration } from '@mikro-orm/migrations';

/** Indexes the retention purge selects its batches by (sqlite). */
export class Migration20261202003100_retention_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index `auth_attempts_expires_at_index` on `auth_attempts` (`expires_at`);');
    this.addSql(
      'create index `telegram_flows_expires_at_index` on `telegram_flows` (`expires_at`);',
    );
    this.addSql(
      'create index `webhook_deliveries_status_created_at_index` on `webhook_deliveries` (`status`, `created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists `webhook_deliveries_status_created_at_index`;');
    this.addSql('drop index if exists `telegram_flows_expires_at_index`;');
    this.addSql('drop index if exists `auth_attempts_expires_at_index`;');
  }
}
