import { Migration } from '@mikro-orm/migrations';

/** Reconnects: the connection an attempt renews (sqlite). */
export class Migration20261201000000_reconnect_attempts extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `auth_attempts` add column `reconnect_connection_id` text null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `auth_attempts` drop column `reconnect_connection_id`;');
  }
}
