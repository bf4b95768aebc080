import { Migration } from '@mikro-orm/migrations';

/** Reconnects: the connection an attempt renews (postgresql). */
export class Migration20261201000000_reconnect_attempts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "auth_attempts" add column "reconnect_connection_id" varchar(40) null;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('alter table "auth_attempts" drop column "reconnect_connection_id";');
  }
}
