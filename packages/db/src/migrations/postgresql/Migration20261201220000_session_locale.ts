import { Migration } from '@mikro-orm/migrations';

/** The Connect UI locale a connect token asks for, carried to its session (postgresql). */
export class Migration20261201220000_session_locale extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "connect_tokens" add column "locale" varchar(35) null;');
    this.addSql('alter table "sessions" add column "locale" varchar(35) null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "sessions" drop column "locale";');
    this.addSql('alter table "connect_tokens" drop column "locale";');
  }
}
