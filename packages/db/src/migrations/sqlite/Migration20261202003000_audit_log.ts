import { Migration } from '@mikro-orm/migrations';

/** The append-only audit log (server.auditLog.list) and its indexes (sqlite). */
export class Migration20261202003000_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `audit_entries` (`id` text not null, `actor` text not null, `action` text not null, `connection_id` text null, `target_id` text null, `provider_id` text null, `detail` json not null, `created_at` datetime not null, primary key (`id`));',
    );
    this.addSql(
      'create index `audit_entries_created_at_id_index` on `audit_entries` (`created_at`, `id`);',
    );
    this.addSql(
      'create index `audit_entries_connection_id_created_at_index` on `audit_entries` (`connection_id`, `created_at`);',
    );
    this.addSql(
      'create index `audit_entries_actor_created_at_index` on `audit_entries` (`actor`, `created_at`);',
    );
    this.addSql(
      'create index `audit_entries_action_created_at_index` on `audit_entries` (`action`, `created_at`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists `audit_entries`;');
  }
}
