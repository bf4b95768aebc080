import { Migration } from '@mikro-orm/migrations';

/** Initial schema (postgresql): api keys, connect tokens, sessions, auth attempts, connections. */
export class Migration20261122000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "api_keys" ("id" varchar(40) not null, "key_hash" varchar(64) not null, "name" varchar(100) not null, "created_at" timestamptz not null, constraint "api_keys_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");',
    );
    this.addSql(
      'create table "auth_attempts" ("id" varchar(40) not null, "provider_id" varchar(40) not null, "external_user_id" varchar(250) not null, "session_id" varchar(40) null, "state_hash" varchar(64) not null, "pkce_verifier_enc" text null, "redirect_uri" varchar(2048) not null, "token_url" varchar(2048) not null, "inputs" jsonb not null, "return_to" varchar(2048) null, "status" text check ("status" in (\'pending\', \'completed\', \'failed\', \'expired\')) not null default \'pending\', "error_code" varchar(40) null, "connection_id" varchar(40) null, "expires_at" timestamptz not null, "consumed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "auth_attempts_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "auth_attempts_external_user_id_index" on "auth_attempts" ("external_user_id");',
    );
    this.addSql(
      'alter table "auth_attempts" add constraint "auth_attempts_state_hash_unique" unique ("state_hash");',
    );
    this.addSql(
      'create table "connections" ("id" varchar(40) not null, "provider_id" varchar(40) not null, "external_user_id" varchar(250) not null, "account_id" varchar(255) not null, "label" varchar(500) not null, "status" text check ("status" in (\'active\', \'needs_reauth\', \'revoked\')) not null default \'active\', "credentials_enc" text not null, "metadata" jsonb not null, "scopes" jsonb not null, "access_token_expires_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "connections_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "connections_external_user_id_index" on "connections" ("external_user_id");',
    );
    this.addSql(
      'alter table "connections" add constraint "connections_provider_id_external_user_id_account_id_unique" unique ("provider_id", "external_user_id", "account_id");',
    );
    this.addSql(
      'create table "connect_tokens" ("id" varchar(40) not null, "token_hash" varchar(64) not null, "external_user_id" varchar(250) not null, "allowed_origins" jsonb not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "connect_tokens_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "connect_tokens" add constraint "connect_tokens_token_hash_unique" unique ("token_hash");',
    );
    this.addSql(
      'create index "connect_tokens_external_user_id_index" on "connect_tokens" ("external_user_id");',
    );
    this.addSql(
      'create table "sessions" ("id" varchar(40) not null, "token_hash" varchar(64) not null, "external_user_id" varchar(250) not null, "allowed_origins" jsonb not null, "demo" boolean not null default false, "expires_at" timestamptz not null, "created_at" timestamptz not null, constraint "sessions_pkey" primary key ("id"));',
    );
    this.addSql(
      'alter table "sessions" add constraint "sessions_token_hash_unique" unique ("token_hash");',
    );
    this.addSql(
      'create index "sessions_external_user_id_index" on "sessions" ("external_user_id");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "sessions";');
    this.addSql('drop table if exists "connect_tokens";');
    this.addSql('drop table if exists "connections";');
    this.addSql('drop table if exists "auth_attempts";');
    this.addSql('drop table if exists "api_keys";');
  }
}
