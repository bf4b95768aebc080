import { Migration } from '@mikro-orm/migrations';

/**
 * Multi-step connects move from the Telegram-only `telegram_flows` to the mode-agnostic
 * `connect_flows` (packages/db/src/entities/connect-flow.entity.ts), run by core's connect-flow
 * runner with the mode's state sealed as one value. The old table is dropped, not copied: its
 * rows are sealed with AAD bound to `telegram_flows` columns and a migration has no keyring to
 * re-seal them, and a flow lives ten minutes — a sign-in in progress during the deploy starts
 * again (NOT_FOUND, "start again"). Dropping it also removes the anonymous gateway sessions of
 * abandoned sign-ins at once. `down` recreates the old table empty.
 */
export class Migration20261202040000_connect_flows extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "connect_flows" ("id" varchar(40) not null, "session_id" varchar(40) not null, "external_user_id" varchar(250) not null, "provider_id" varchar(40) not null, "mode" varchar(20) not null, "kind" varchar(20) not null, "step" varchar(40) not null, "state_enc" text null, "attempts" int not null default 0, "error_code" varchar(40) null, "connection_id" varchar(40) null, "version" int not null default 1, "expires_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "connect_flows_pkey" primary key ("id"));',
    );
    this.addSql('create index "connect_flows_session_id_index" on "connect_flows" ("session_id");');
    this.addSql('create index "connect_flows_expires_at_index" on "connect_flows" ("expires_at");');
    this.addSql('drop table if exists "telegram_flows";');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "connect_flows";');
    this.addSql(
      'create table "telegram_flows" ("id" varchar(40) not null, "session_id" varchar(40) not null, "external_user_id" varchar(250) not null, "phone" varchar(16) null, "kind" text check ("kind" in (\'phone\', \'qr\')) not null, "step" text check ("step" in (\'code_sent\', \'qr_waiting\', \'password_needed\', \'completed\', \'failed\')) not null, "gateway_session_enc" text null, "phone_code_hash_enc" text null, "code_attempts" int not null default 0, "password_attempts" int not null default 0, "password_hint" varchar(255) null, "error_code" varchar(40) null, "connection_id" varchar(40) null, "version" int not null default 1, "expires_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "telegram_flows_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "telegram_flows_session_id_index" on "telegram_flows" ("session_id");',
    );
    this.addSql(
      'create index "telegram_flows_expires_at_index" on "telegram_flows" ("expires_at");',
    );
  }
}
