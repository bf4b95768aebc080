import { Migration } from '@mikro-orm/migrations';

/** Telegram login flows in progress (postgresql). */
export class Migration20261122040000_telegram_flows extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "telegram_flows" ("id" varchar(40) not null, "session_id" varchar(40) not null, "external_user_id" varchar(250) not null, "phone" varchar(16) null, "kind" text check ("kind" in (\'phone\', \'qr\')) not null, "step" text check ("step" in (\'code_sent\', \'qr_waiting\', \'password_needed\', \'completed\', \'failed\')) not null, "gateway_session_enc" text null, "phone_code_hash_enc" text null, "code_attempts" int not null default 0, "password_attempts" int not null default 0, "password_hint" varchar(255) null, "error_code" varchar(40) null, "connection_id" varchar(40) null, "version" int not null default 1, "expires_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "telegram_flows_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "telegram_flows_session_id_index" on "telegram_flows" ("session_id");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "telegram_flows";');
  }
}
