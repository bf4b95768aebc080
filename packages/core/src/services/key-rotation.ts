import {
  AuthAttempt,
  compactAfterRewrite,
  ConnectFlow,
  Connection,
  IdempotencyRecord,
  WebhookEndpoint,
  type Em,
} from '@plugboard/db';
import { aadFor, open, seal, sealedKeyId, type Keyring } from '../crypto';
import { flowStateAad } from './connect-flows/store';
import { idempotencyResponseAad } from './idempotency';
import { resealIntegrationSecrets } from './integrations';

export interface ResealReport {
  connections: number;
  attempts: number;
  webhookEndpoints: number;
  connectFlows: number;
  /** Integrations' OAuth client secrets stored through `server.integrations.upsert`. */
  integrations: number;
  /**
   * REST answers kept for `Idempotency-Key` replays (they can hold a new API key, a webhook
   * secret or a connect token; packages/core/src/services/idempotency.ts).
   */
  idempotencyRecords: number;
  /**
   * SQLite: the file was rebuilt (VACUUM), so no freed page still holds an old ciphertext.
   * PostgreSQL: false — the replaced row versions stay in the table files until `VACUUM FULL`.
   */
  compacted: boolean;
}

/**
 * Re-seals every stored secret that is not sealed with the current key, so an old key can be
 * removed from PLUGBOARD_ENCRYPTION_KEYS afterwards. Each row is rewritten by compare-and-swap on
 * its old ciphertext: a row changed meanwhile (e.g. refreshed) was sealed with the current key
 * anyway and is left alone. Safe to run while the service is up, and again. Ends by scrubbing
 * the old ciphertexts out of freed space where the database allows it (compactAfterRewrite).
 */
export async function resealWithCurrentKey(
  em: Em,
  keyring: Keyring,
  batch = 200,
): Promise<ResealReport> {
  const report: ResealReport = {
    connections: 0,
    attempts: 0,
    webhookEndpoints: 0,
    connectFlows: 0,
    integrations: 0,
    idempotencyRecords: 0,
    compacted: false,
  };
  const stale = (sealed: string | null | undefined) =>
    sealed != null && sealedKeyId(sealed) !== keyring.currentKeyId;
  const reseal = (sealed: string, aad: string) => seal(keyring, open(keyring, sealed, aad), aad);

  for (let offset = 0; ; offset += batch) {
    const rows = await em
      .fork()
      .find(Connection, {}, { orderBy: { id: 'asc' }, limit: batch, offset });
    for (const c of rows) {
      if (!stale(c.credentialsEnc)) continue;
      const next = reseal(c.credentialsEnc, aadFor('connections', 'credentials', c.id));
      report.connections += await em.nativeUpdate(
        Connection,
        { id: c.id, credentialsEnc: c.credentialsEnc },
        { credentialsEnc: next },
      );
    }
    if (rows.length < batch) break;
  }
  for (let offset = 0; ; offset += batch) {
    const rows = await em
      .fork()
      .find(AuthAttempt, {}, { orderBy: { id: 'asc' }, limit: batch, offset });
    for (const a of rows) {
      const update: Partial<Pick<AuthAttempt, 'pkceVerifierEnc' | 'authorizationUrlEnc'>> = {};
      if (a.pkceVerifierEnc && stale(a.pkceVerifierEnc)) {
        update.pkceVerifierEnc = reseal(
          a.pkceVerifierEnc,
          aadFor('auth_attempts', 'pkce_verifier', a.id),
        );
      }
      if (a.authorizationUrlEnc && stale(a.authorizationUrlEnc)) {
        update.authorizationUrlEnc = reseal(
          a.authorizationUrlEnc,
          aadFor('auth_attempts', 'authorization_url', a.id),
        );
      }
      if (Object.keys(update).length)
        report.attempts += await em.nativeUpdate(AuthAttempt, { id: a.id }, update);
    }
    if (rows.length < batch) break;
  }
  for (const w of await em.fork().find(WebhookEndpoint, {})) {
    if (!stale(w.secretEnc)) continue;
    const next = reseal(w.secretEnc, aadFor('webhook_endpoints', 'secret', w.id));
    report.webhookEndpoints += await em.nativeUpdate(
      WebhookEndpoint,
      { id: w.id, secretEnc: w.secretEnc },
      { secretEnc: next },
    );
  }
  // Connect flows in progress: only unfinished ones still hold sealed state.
  for (const f of await em.fork().find(ConnectFlow, { stateEnc: { $ne: null } })) {
    if (!stale(f.stateEnc)) continue;
    report.connectFlows += await em.nativeUpdate(
      ConnectFlow,
      { id: f.id, stateEnc: f.stateEnc },
      { stateEnc: reseal(f.stateEnc!, flowStateAad(f.id)) },
    );
  }
  report.integrations = await resealIntegrationSecrets(em, keyring, stale);
  for (let offset = 0; ; offset += batch) {
    const rows = await em
      .fork()
      .find(
        IdempotencyRecord,
        { responseEnc: { $ne: null } },
        { orderBy: { id: 'asc' }, limit: batch, offset },
      );
    for (const r of rows) {
      if (!stale(r.responseEnc)) continue;
      const next = reseal(r.responseEnc!, idempotencyResponseAad(r.id));
      report.idempotencyRecords += await em.nativeUpdate(
        IdempotencyRecord,
        { id: r.id, responseEnc: r.responseEnc },
        { responseEnc: next },
      );
    }
    if (rows.length < batch) break;
  }
  // Always, not only when something was re-sealed: an earlier run may have stopped before this.
  report.compacted = await compactAfterRewrite(em.fork());
  return report;
}
