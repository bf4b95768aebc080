import { Migration } from '@mikro-orm/migrations';

/**
 * Scopes, last use and revocation on API keys; API clients and their access tokens (OAuth 2.0
 * client credentials). Keys made before scopes existed were all-powerful: they keep `admin`.
 */
export class Migration20261202020000_api_clients_and_scopes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "api_access_tokens" ("id" varchar(40) not null, "token_hash" varchar(64) not null, "client_id" varchar(40) not null, "scopes" jsonb not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "api_access_tokens_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "api_access_tokens" add constraint "api_access_tokens_token_hash_unique" unique ("token_hash");',
    );
    this.addSql(
      'create index "api_access_tokens_client_id_index" on "api_access_tokens" ("client_id");',
    );
    this.addSql(
      'create index "api_access_tokens_expires_at_index" on "api_access_tokens" ("expires_at");',
    );
    this.addSql(
      'create table "api_clients" ("id" varchar(40) not null, "secret_hash" varchar(64) not null, "name" varchar(100) not null, "scopes" jsonb not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_clients_pkey" primary key ("id"));',
    );
    this.addSql('alter table "api_keys" add column "scopes" jsonb not null default \'["admin"]\';');
    this.addSql('alter table "api_keys" alter column "scopes" drop default;');
    this.addSql('alter table "api_keys" add column "last_used_at" timestamptz null;');
    this.addSql('alter table "api_keys" add column "revoked_at" timestamptz null;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "api_access_tokens";');
    this.addSql('drop table if exists "api_clients";');
    this.addSql('alter table "api_keys" drop column "scopes";');
    this.addSql('alter table "api_keys" drop column "last_used_at";');
    this.addSql('alter table "api_keys" drop column "revoked_at";');
  }
}
