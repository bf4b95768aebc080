import { Migration } from '@mikro-orm/migrations';

/** The host's intent a connect token carries to its session: one provider, redirects, label (sqlite). */
export class Migration20261202010000_connect_token_intent extends Migration {
  override async up(): Promise<void> {
    for (const table of ['connect_tokens', 'sessions']) {
      this.addSql(`alter table \`${table}\` add column \`provider_id\` text null;`);
      this.addSql(`alter table \`${table}\` add column \`success_redirect_url\` text null;`);
      this.addSql(`alter table \`${table}\` add column \`error_redirect_url\` text null;`);
      this.addSql(`alter table \`${table}\` add column \`end_user_label\` text null;`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['sessions', 'connect_tokens']) {
      for (const column of [
        'end_user_label',
        'error_redirect_url',
        'success_redirect_url',
        'provider_id',
      ]) {
        this.addSql(`alter table \`${table}\` drop column \`${column}\`;`);
      }
    }
  }
}
