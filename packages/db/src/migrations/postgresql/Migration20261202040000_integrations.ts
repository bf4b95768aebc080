import { Migration } from '@mikro-orm/migrations';

/** Integrations configured through the API (server.integrations.*), one row per provider (postgresql). */
export class Migration20261202040000_integrations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "integrations" ("provider_id" varchar(40) not null, "enabled" boolean not null, "mode" varchar(8) null, "client_id" varchar(500) null, "client_secret_enc" text null, "scopes" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "integrations_pkey" primary key ("provider_id"));',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "integrations";');
  }
}
