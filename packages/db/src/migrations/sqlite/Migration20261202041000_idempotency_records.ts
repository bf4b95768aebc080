import { Migration } from '@mikro-orm/migrations';

/** REST `Idempotency-Key` records (apps/server/src/rest/idempotency.ts), purged after 24 h (sqlite). */
export class Migration20261202041000_idempotency_records extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `idempotency_records` (`id` text not null, `credential_id` text not null, `key_hash` text not null, `request_hash` text not null, `response_status` integer null, `response_enc` text null, `created_at` datetime not null, primary key (`id`));',
    );
    this.addSql(
      'create index `idempotency_records_created_at_index` on `idempotency_records` (`created_at`);',
    );
    this.addSql(
      'create unique index `idempotency_records_credential_id_key_hash_unique` on `idempotency_records` (`credential_id`, `key_hash`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `idempotency_records`;');
  }
}
