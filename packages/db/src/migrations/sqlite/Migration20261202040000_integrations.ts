import { Migration } from '@mikro-orm/migrations';

/** Integrations configured through the API (server.integrations.*), one row per provider (sqlite). */
export class Migration20261202040000_integrations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `integrations` (`provider_id` text not null, `enabled` integer not null, `mode` text null, `client_id` text null, `client_secret_enc` text null, `scopes` json null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`provider_id`));',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `integrations`;');
  }
}
