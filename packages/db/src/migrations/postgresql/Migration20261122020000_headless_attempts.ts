import { Migration } from '@mikro-orm/migrations';

/** Headless (server API) attempts: launch link, sealed authorization URL, browser binding (postgresql). */
export class Migration20261122020000_headless_attempts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'alter table "auth_attempts" add column "host_redirect_url" varchar(2048) null, add column "launch_token_hash" varchar(64) null, add column "authorization_url_enc" text null, add column "binding_hash" varchar(64) null, add column "launched_at" timestamptz null;',
    );
    this.addSql(
      'alter table "auth_attempts" add constraint "auth_attempts_launch_token_hash_unique" unique ("launch_token_hash");',
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table "auth_attempts" drop constraint if exists "auth_attempts_launch_token_hash_unique";',
    );
    this.addSql('alter table "auth_attempts" drop column "launched_at";');
    this.addSql('alter table "auth_attempts" drop column "binding_hash";');
    this.addSql('alter table "auth_attempts" drop column "authorization_url_enc";');
    this.addSql('alter table "auth_attempts" drop column "launch_token_hash";');
    this.addSql('alter table "auth_attempts" drop column "host_redirect_url";');
  }
}
