import { Migration } from '@mikro-orm/migrations';

/** The Connect UI locale a connect token asks for, carried to its session (sqlite). */
export class Migration20261201220000_session_locale extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `connect_tokens` add column `locale` text null;');
    this.addSql('alter table `sessions` add column `locale` text null;');
  }

  override async down(): Promise<void> {
    this.addSql('alter table `sessions` drop column `locale`;');
    this.addSql('alter table `connect_tokens` drop column `locale`;');
  }
}
