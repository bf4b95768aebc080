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
      'create table `connect_flows` (`id` text not null, `session_id` text not null, `external_user_id` text not null, `provider_id` text not null, `mode` text not null, `kind` text not null, `step` text not null, `state_enc` text null, `attempts` integer not null default 0, `error_code` text null, `connection_id` text null, `version` integer not null default 1, `expires_at` datetime not null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));',
    );
    this.addSql('create index `connect_flows_session_id_index` on `connect_flows` (`session_id`);');
    this.addSql('create index `connect_flows_expires_at_index` on `connect_flows` (`expires_at`);');
    this.addSql('drop table if exists `telegram_flows`;');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `connect_flows`;');
    this.addSql(
      "create table `telegram_flows` (`id` text not null, `session_id` text not null, `external_user_id` text not null, `phone` text null, `kind` text check (`kind` in ('phone', 'qr')) not null, `step` text check (`step` in ('code_sent', 'qr_waiting', 'password_needed', 'completed', 'failed')) not null, `gateway_session_enc` text null, `phone_code_hash_enc` text null, `code_attempts` integer not null default 0, `password_attempts` integer not null default 0, `password_hint` text null, `error_code` text null, `connection_id` text null, `version` integer not null default 1, `expires_at` datetime not null, `created_at` datetime not null, `updated_at` datetime not null, primary key (`id`));",
    );
    this.addSql(
      'create index `telegram_flows_session_id_index` on `telegram_flows` (`session_id`);',
    );
    this.addSql(
      'create index `telegram_flows_expires_at_index` on `telegram_flows` (`expires_at`);',
    );
  }
}
