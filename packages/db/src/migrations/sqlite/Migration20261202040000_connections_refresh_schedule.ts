import { Migration } from '@mikro-orm/migrations';

/**
 * The background refresh's schedule per connection (packages/core/src/services/refresh/): when
 * it may next be tried (a claim by one instance, or a back-off after failures) and how many
 * attempts in a row failed; and when a token that never expires is next health-checked, indexed
 * with the status like the refresh due index (sqlite).
 */
export class Migration20261202040000_connections_refresh_schedule extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `connections` add column `refresh_not_before` datetime null;');
    this.addSql(
      'alter table `connections` add column `refresh_failures` integer not null default 0;',
    );
    this.addSql('alter table `connections` add column `health_check_due_at` datetime null;');
    this.addSql(
      'create index `connections_status_health_check_due_at_index` on `connections` (`status`, `health_check_due_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index `connections_status_health_check_due_at_index`;');
    this.addSql('alter table `connections` drop column `health_check_due_at`;');
    this.addSql('alter table `connections` drop column `refresh_failures`;');
    this.addSql('alter table `connections` drop column `refresh_not_before`;');
  }
}
