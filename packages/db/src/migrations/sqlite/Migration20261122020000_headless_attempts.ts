import { Migration } from '@mikro-orm/migrations';

/** Headless (server API) attempts: launch link, sealed authorization URL, browser binding (sqlite). */
export class Migration20261122020000_headless_attempts extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table `auth_attempts` add column `host_redirect_url` text null;');
    this.addSql('alter table `auth_attempts` add column `launch_token_hash` text null;');
    this.addSql('alter table `auth_attempts` add column `authorization_url_enc` text null;');
    this.addSql('alter table `auth_attempts` add column `binding_hash` text null;');
    this.addSql('alter table `auth_attempts` add column `launched_at` datetime null;');
    this.addSql(
      'create unique index `auth_attempts_launch_token_hash_unique` on `auth_attempts` (`launch_token_hash`);',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists `auth_attempts_launch_token_hash_unique`;');
    this.addSql('alter table `auth_attempts` drop column `launched_at`;');
    this.addSql('alter table `auth_attempts` drop column `binding_hash`;');
    this.addSql('alter table `auth_attempts` drop column `authorization_url_enc`;');
    this.addSql('alter table `auth_attempts` drop column `launch_token_hash`;');
    this.addSql('alter table `auth_attempts` drop column `host_redirect_url`;');
  }
}
