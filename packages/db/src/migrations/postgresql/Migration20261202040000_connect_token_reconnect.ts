import { Migration } from '@mikro-orm/migrations';

/** A connect token (and its session) minted to renew one existing connection (postgresql). */
export class Migration20261202040000_connect_token_reconnect extends Migration {
  override async up(): Promise<void> {
    for (const table of ['connect_tokens', 'sessions']) {
      this.addSql(`alter table "${table}" add column "reconnect_connection_id" varchar(40) null;`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['sessions', 'connect_tokens']) {
      this.addSql(`alter table "${table}" drop column "reconnect_connection_id";`);
    }
  }
}
