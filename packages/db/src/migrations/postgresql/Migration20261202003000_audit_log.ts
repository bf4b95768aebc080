import { Migration } from '@mikro-orm/migrations';

/** The append-only audit log (server.auditLog.list) and its indexes (postgresql). */
export class Migration20261202003000_audit_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "audit_entries" ("id" varchar(40) not null, "actor" varchar(300) not null, "action" varchar(60) not null, "connection_id" varchar(40) null, "target_id" varchar(40) null, "provider_id" varchar(40) null, "detail" jsonb not null, "created_at" timestamptz not null, constraint "audit_entries_pkey" primary key ("id"));',
    );
    this.addSql(
      'create index "audit_entries_created_at_id_index" on "audit_entries" ("created_at", "id");',
    );
    this.addSql(
      'create index "audit_entries_connection_id_created_at_index" on "audit_entries" ("connection_id", "created_at");',
    );
    this.addSql(
      'create index "audit_entries_actor_created_at_index" on "audit_entries" ("actor", "created_at");',
    );
    this.addSql(
      'create index "audit_entries_action_created_at_index" on "audit_entries" ("action", "created_at");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "audit_entries";');
  }
}
