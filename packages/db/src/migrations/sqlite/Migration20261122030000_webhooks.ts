import { Migration } from '@mikro-orm/migrations';

/** Webhook endpoints and the delivery outbox (sqlite). */
export class Migration20261122030000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `webhook_deliveries` (`id` text not null, `message_id` text not null, `endpoint_id` text not null, `event_type` text not null, `payload` json not null, `status` text check (`status` in ('pending', 'delivered', 'failed')) not null default 'pending', `attempts` integer not null default 0, `next_attempt_at` datetime not null, `lease_until` datetime null, `last_status` integer null, `last_error` text null, `delivered_at` datetime null, `created_at` datetime not null, primary key (`id`));",
    );
    this.addSql(
      'create index `webhook_deliveries_message_id_index` on `webhook_deliveries` (`message_id`);',
    );
    this.addSql(
      'create index `webhook_deliveries_endpoint_id_index` on `webhook_deliveries` (`endpoint_id`);',
    );
    this.addSql(
      'create index `webhook_deliveries_status_next_attempt_at_index` on `webhook_deliveries` (`status`, `next_attempt_at`);',
    );
    this.addSql(
      'create table `webhook_endpoints` (`id` text not null, `url` text not null, `secret_enc` text not null, `events` json not null, `created_at` datetime not null, primary key (`id`));',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `webhook_deliveries`;');
    this.addSql('drop table if exists `webhook_endpoints`;');
  }
}
