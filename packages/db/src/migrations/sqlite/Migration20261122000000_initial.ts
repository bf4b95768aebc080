import { Migration } from '@mikro-orm/migrations';

/** Initial schema (sqlite): api keys, connect tokens, sessions, auth attempts, connections. */
export class Migration20261122000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `api_keys` (`id` text not null, `key_hash` text not null, `name` text not null, `created_at` datetime not null, primary key (`id`));',
    );
    this.addSql('create unique index `api_keys_key_hash_unique` on `api_keys` (`key_hash`);');
    this.addSql(
      "create table `auth_attempts` (`id` text not null, `provider_id` text not null, `external_user_id` text not null, `session_id` text null, `state_hash` text not null, `pkce_verifier_enc` text null, `redirect_uri` text not null, `token_url` text not null, `inputs` json not null, `return_to` text null, `status` text check (`status` in ('pending', 'completed', 'failed', 'expired')) not null default 'pending', `error_code` text null, `connection_id` text null, `expires_at` datetime not null, `consumed_at` datetime null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));",
    );
    this.addSql(
      'create index `auth_attempts_external_user_id_index` on `auth_attempts` (`external_user_id`);',
    );
    this.addSql(
      'create unique index `auth_attempts_state_hash_unique` on `auth_attempts` (`state_hash`);',
    );
    this.addSql(
      "create table `connections` (`id` text not null, `provider_id` text not null, `external_user_id` text not null, `account_id` text not null, `label` text not null, `status` text check (`status` in ('active', 'needs_reauth', 'revoked')) not null default 'active', `credentials_enc` text not null, `metadata` json not null, `scopes` json not null, `access_token_expires_at` datetime null, `version` integer not null default 1, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));",
    );
    this.addSql(
      'create index `connections_external_user_id_index` on `connections` (`external_user_id`);',
    );
    this.addSql(
      'create unique index `connections_provider_id_external_user_id_account_id_unique` on `connections` (`provider_id`, `external_user_id`, `account_id`);',
    );
    this.addSql(
      'create table `connect_tokens` (`id` text not null, `token_hash` text not null, `external_user_id` text not null, `allowed_origins` json not null, `expires_at` datetime not null, `used_at` datetime null, `created_at` datetime not null, primary key (`id`));',
    );
    this.addSql(
      'create unique index `connect_tokens_token_hash_unique` on `connect_tokens` (`token_hash`);',
    );
    this.addSql(
      'create index `connect_tokens_external_user_id_index` on `connect_tokens` (`external_user_id`);',
    );
    this.addSql(
      'create table `sessions` (`id` text not null, `token_hash` text not null, `external_user_id` text not null, `allowed_origins` json not null, `demo` integer not null default false, `expires_at` datetime not null, `created_at` datetime not null, primary key (`id`));',
    );
    this.addSql('create unique index `sessions_token_hash_unique` on `sessions` (`token_hash`);');
    this.addSql(
      'create index `sessions_external_user_id_index` on `sessions` (`external_user_id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `sessions`;');
    this.addSql('drop table if exists `connect_tokens`;');
    this.addSql('drop table if exists `connections`;');
    this.addSql('drop table if exists `auth_attempts`;');
    this.addSql('drop table if exists `api_keys`;');
  }
}
