import type { RevocationReason } from '@plugboard/contracts';
import { Connection, type Em } from '@plugboard/db';
import type { CoreDeps } from '../deps';
import { recordConnectionAudit, SYSTEM_ACTOR } from './audit';
import { sealCredentials } from './credentials';
import { connectionEventData, enqueueEvent } from './webhooks';

/** Which of a provider's connections an event is about. */
export type RevokedAccounts =
  /** These account ids exactly (Shopify shop, Stripe account, Slack `team:user`). */
  | { accountIds: string[] }
  /** Every account id starting with this (Slack: `team:` — the whole workspace). */
  | { accountPrefix: string };

/**
 * A provider told Plugboard that access ended (the app was uninstalled, the account
 * deauthorized the platform, tokens were revoked): each matching connection becomes `revoked`,
 * its credentials are overwritten with an empty set (nothing of the old tokens stays in the
 * row; the cipher text is still a valid seal, so key rotation and reads keep working), the
 * audit log records it as `connection.revoked` by `system`, and the host gets
 * `connection.revoked` with the reason — all in one transaction. Replays change nothing
 * (already revoked). Returns how many connections were revoked.
 */
export async function revokeFromProvider(
  em: Em,
  deps: CoreDeps,
  args: { providerId: string; accounts: RevokedAccounts; reason: RevocationReason },
): Promise<number> {
  const { providerId, accounts, reason } = args;
  if ('accountIds' in accounts && accounts.accountIds.length === 0) return 0;
  const revoked = await em.transactional(async (tx) => {
    const rows = await tx.find(Connection, {
      providerId,
      status: { $ne: 'revoked' },
      ...('accountIds' in accounts
        ? { accountId: { $in: accounts.accountIds } }
        : { accountId: { $like: `${literalPrefix(accounts.accountPrefix)}%` } }),
    });
    const now = deps.clock.now();
    for (const row of rows) {
      row.status = 'revoked';
      row.credentialsEnc = sealCredentials(deps.keyring, row.id, {
        accessToken: '',
        refreshToken: null,
        tokenType: 'bearer',
        expiresAt: null,
        scopes: [],
        raw: {},
      });
      row.accessTokenExpiresAt = null;
      row.refreshLeaseUntil = null;
      row.refreshNotBefore = null;
      row.healthCheckDueAt = null;
      row.scopes = [];
      row.updatedAt = now;
      await enqueueEvent(tx, deps, 'connection.revoked', { ...connectionEventData(row), reason });
      recordConnectionAudit(tx, deps, 'connection.revoked', row, SYSTEM_ACTOR, { reason });
    }
    return rows;
  });
  for (const row of revoked) {
    deps.logger.info(
      { connectionId: row.id, providerId, reason },
      'connection revoked by the provider',
    );
  }
  return revoked.length;
}

/** A prefix with LIKE's wildcards in it would match other accounts: such ids are refused. */
function literalPrefix(s: string): string {
  if (s === '' || /[\\%_]/.test(s)) throw new Error('account prefix must be a literal id');
  return s;
}
