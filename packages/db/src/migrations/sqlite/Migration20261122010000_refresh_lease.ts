import { Migration } from '@mikro-orm/migrations';

/** Columns for cross-process single-flight credential refresh (sqlite). */
export class Migration20261122010000_refresh_lease extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `connections` add column `refresh_lease_until` datetime null;');
    this.addSql('alter table `connections` add column `last_refreshed_at` datetime null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `connections` drop column `last_refreshed_at`;');
    this.addSql('alter table `connections` drop column `refresh_lease_until`;');
  }
}
