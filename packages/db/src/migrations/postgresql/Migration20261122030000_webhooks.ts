import { Migration } from '@mikro-orm/migrations';

/** Webhook endpoints and the delivery outbox (postgresql). */
export class Migration20261122030000_webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "webhook_deliveries" ("id" varchar(40) not null, "message_id" varchar(40) not null, "endpoint_id" varchar(40) not null, "event_type" varchar(60) not null, "payload" jsonb not null, "status" text check ("status" in (\'pending\', \'delivered\', \'failed\')) not null default \'pending\', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "lease_until" timestamptz null, "last_status" int null, "last_error" varchar(300) null, "delivered_at" timestamptz null, "created_at" timestamptz not null, constraint "webhook_deliveries_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "webhook_deliveries_message_id_index" on "webhook_deliveries" ("message_id");',
    );
    this.addSql(
      'create index "webhook_deliveries_endpoint_id_index" on "webhook_deliveries" ("endpoint_id");',
    );
    this.addSql(
      'create index "webhook_deliveries_status_next_attempt_at_index" on "webhook_deliveries" ("status", "next_attempt_at");',
    );
    this.addSql(
      'create table "webhook_endpoints" ("id" varchar(40) not null, "url" varchar(2048) not null, "secret_enc" text not null, "events" jsonb not null, "created_at" timestamptz not null, constraint "webhook_endpoints_pkey" primary key ("id"));',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "webhook_deliveries";');
    this.addSql('drop table if exists "webhook_endpoints";');
  }
}
