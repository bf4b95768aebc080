import { Migration } from '@mikro-orm/migrations';

/** REST `Idempotency-Key` records (apps/server/src/rest/idempotency.ts), purged after 24 h (postgresql). */
export class Migration20261202041000_idempotency_records extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "idempotency_records" ("id" varchar(40) not null, "credential_id" varchar(40) not null, "key_hash" varchar(64) not null, "request_hash" varchar(64) not null, "response_status" int null, "response_enc" text null, "created_at" timestamptz not null, constraint "idempotency_records_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "idempotency_records_created_at_index" on "idempotency_records" ("created_at");',
    );
    this.addSql(
      'alter table "idempotency_records" add constraint "idempotency_records_credential_id_key_hash_unique" unique ("credential_id", "key_hash");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "idempotency_records";');
  }
}
