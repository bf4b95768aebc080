import { Migration } from '@mikro-orm/migrations';

/**
 * The background refresh's schedule per connection (packages/core/src/services/refresh/): when
 * it may next be tried (a claim by one instance, or a back-off after failures) and how many
 * attempts in a row failed; and when a token that never expires is next health-checked, indexed
 * with the status like the refresh due index (postgresql).
 */
export class Migration20261202040000_connections_refresh_schedule extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "connections" add column "refresh_not_before" timestamptz null, add column "refresh_failures" int not null default 0, add column "health_check_due_at" timestamptz null;',
    );
    this.addSql(
      'create index "connections_status_health_check_due_at_index" on "connections" ("status", "health_check_due_at");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index "connections_status_health_check_due_at_index";');
    this.addSql(
      'alter table "connections" drop column "health_check_due_at", drop column "refresh_failures", drop column "refresh_not_before";',
    );
  }
}
