import { Migration } from '@mikro-orm/migrations';

/**
 * Scopes, last use and revocation on API keys; API clients and their access tokens (OAuth 2.0
 * client credentials). Keys made before scopes existed were all-powerful: they keep `admin`.
 */
export class Migration20261202020000_api_clients_and_scopes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `api_access_tokens` (`id` text not null, `token_hash` text not null, `client_id` text not null, `scopes` json not null, `created_at` datetime not null, `expires_at` datetime not null, primary key (`id`));',
    );
    this.addSql(
      'create unique index `api_access_tokens_token_hash_unique` on `api_access_tokens` (`token_hash`);',
    );
    this.addSql(
      'create index `api_access_tokens_client_id_index` on `api_access_tokens` (`client_id`);',
    );
    this.addSql(
      'create index `api_access_tokens_expires_at_index` on `api_access_tokens` (`expires_at`);',
    );
    this.addSql(
      'create table `api_clients` (`id` text not null, `secret_hash` text not null, `name` text not null, `scopes` json not null, `created_at` datetime not null, `last_used_at` datetime null, `revoked_at` datetime null, primary key (`id`));',
    );
    // SQLite cannot drop a column default, so the table is rebuilt (what MikroORM's own schema
    // diff does); nothing references api_keys by foreign key.
    this.addSql(
      'create table `api_keys__temp_alter` (`id` text not null, `key_hash` text not null, `name` text not null, `scopes` json not null, `created_at` datetime not null, `last_used_at` datetime null, `revoked_at` datetime null, primary key (`id`));',
    );
    this.addSql(
      'insert into `api_keys__temp_alter` select `id`, `key_hash`, `name`, \'["admin"]\', `created_at`, null, null from `api_keys`;',
    );
    this.addSql('drop table `api_keys`;');
    this.addSql('alter table `api_keys__temp_alter` rename to `api_keys`;');
    this.addSql('create unique index `api_keys_key_hash_unique` on `api_keys` (`key_hash`);');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `api_access_tokens`;');
    this.addSql('drop table if exists `api_clients`;');
    this.addSql('alter table `api_keys` drop column `scopes`;');
    this.addSql('alter table `api_keys` drop column `last_used_at`;');
    this.addSql('alter table `api_keys` drop column `revoked_at`;');
  }
}
