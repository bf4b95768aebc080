import { Migration } from '@mikro-orm/migrations';

/** Telegram login flows in progress (sqlite). */
export class Migration20261122040000_telegram_flows extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `telegram_flows` (`id` text not null, `session_id` text not null, `external_user_id` text not null, `phone` text null, `kind` text check (`kind` in ('phone', 'qr')) not null, `step` text check (`step` in ('code_sent', 'qr_waiting', 'password_needed', 'completed', 'failed')) not null, `gateway_session_enc` text null, `phone_code_hash_enc` text null, `code_attempts` integer not null default 0, `password_attempts` integer not null default 0, `password_hint` text null, `error_code` text null, `connection_id` text null, `version` integer not null default 1, `expires_at` datetime not null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));",
    );
    this.addSql(
      'create index `telegram_flows_session_id_index` on `telegram_flows` (`session_id`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `telegram_flows`;');
  }
}
