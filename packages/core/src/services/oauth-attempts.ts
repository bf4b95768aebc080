import { ERROR_MESSAGES, type ErrorCode } from '@plugboard/contracts';
import { AuthAttempt, type Em } from '@plugboard/db';
import { getProvider } from '@plugboard/providers';
import { aadFor, createPkcePair, newId, randomSecret, seal, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { telemetryOf } from '../telemetry';
import { enabledIntegrationConfig } from './integrations';
import { dateOf, jsonOf, readRow, textOf } from './raw-rows';

/**
 * OAuth attempts (`att_…`): what starting an authorization-code flow writes, shared by the
 * Connect UI's flow (oauth-flow.ts) and the headless one (oauth-headless.ts).
 */
export const verifierAad = (attemptId: string) =>
  aadFor('auth_attempts', 'pkce_verifier', attemptId);
export const authorizationUrlAad = (attemptId: string) =>
  aadFor('auth_attempts', 'authorization_url', attemptId);

export function redirectUriFor(deps: CoreDeps, providerId: string): string {
  return `${deps.settings.publicUrl}/oauth/callback/${providerId}`;
}

export interface NewAttempt {
  externalUserId: string;
  sessionId: string | null;
  providerId: string;
  inputs: Record<string, string>;
  returnTo: string | null;
  hostRedirectUrl: string | null;
  reconnectConnectionId?: string | null;
}

/**
 * Creates an attempt: a fresh 256-bit state (stored only as a hash), a PKCE pair where the
 * provider supports it (verifier sealed), and the exact redirect URI and token endpoint recorded
 * with the attempt. Returns the provider's authorization URL.
 */
export async function createAttempt(
  em: Em,
  deps: CoreDeps,
  a: NewAttempt,
  headless: { launchTokenHash: string } | null,
): Promise<{ attemptId: string; authorizationUrl: string }> {
  const provider = getProvider(a.providerId);
  // Inputs may pick hosts (Shopify's store): checked and made canonical before anything is
  // built from them, so a bad one writes nothing.
  const inputs = provider.normalizeInputs ? provider.normalizeInputs(a.inputs) : a.inputs;
  const config = await enabledIntegrationConfig(em, deps, provider.id);
  const state = randomSecret(32);
  const pkce = provider.pkce ? createPkcePair() : null;
  const attemptId = newId('att_');
  const redirectUri = redirectUriFor(deps, provider.id);
  // The provider's own mode (its authMode) builds the redirect and names the token endpoint.
  const mode = deps.modes[provider.authMode];
  const authorizationUrl = mode.start(provider, config, {
    redirectUri,
    state,
    codeChallenge: pkce?.challenge ?? null,
    inputs,
  });
  const now = deps.clock.now();
  // One INSERT on its own (autocommit): no unit of work or BEGIN/COMMIT around a single row.
  await em.insert(AuthAttempt, {
    id: attemptId,
    providerId: provider.id,
    externalUserId: a.externalUserId,
    sessionId: a.sessionId,
    stateHash: sha256Hex(state),
    pkceVerifierEnc: pkce ? seal(deps.keyring, pkce.verifier, verifierAad(attemptId)) : null,
    redirectUri,
    tokenUrl: mode.tokenUrl(provider, config, inputs),
    inputs,
    returnTo: a.returnTo,
    status: 'pending',
    errorCode: null,
    connectionId: null,
    reconnectConnectionId: a.reconnectConnectionId ?? null,
    expiresAt: new Date(now.getTime() + deps.settings.attemptTtlSeconds * 1000),
    consumedAt: null,
    hostRedirectUrl: a.hostRedirectUrl,
    launchTokenHash: headless?.launchTokenHash ?? null,
    // The provider URL holds the state: sealed until the browser opens the launch link.
    authorizationUrlEnc: headless
      ? seal(deps.keyring, authorizationUrl, authorizationUrlAad(attemptId))
      : null,
    bindingHash: null,
    launchedAt: null,
    createdAt: now,
    updatedAt: now,
  });
  deps.logger.info(
    { attemptId, providerId: provider.id, headless: headless !== null },
    'oauth attempt started',
  );
  telemetryOf(deps).connectFlowStarted({ providerId: provider.id, headless: headless !== null });
  return { attemptId, authorizationUrl };
}

/** What a callback reads of its attempt (plain columns: no entity, identity map or snapshot). */
export interface CallbackAttempt {
  id: string;
  providerId: string;
  externalUserId: string;
  sessionId: string | null;
  bindingHash: string | null;
  consumedAt: Date | null;
  expiresAt: Date;
  pkceVerifierEnc: string | null;
  redirectUri: string;
  tokenUrl: string;
  inputs: Record<string, string>;
  reconnectConnectionId: string | null;
  hostRedirectUrl: string | null;
}

const CALLBACK_COLUMNS =
  'id, provider_id, external_user_id, session_id, binding_hash, consumed_at, expires_at, ' +
  'pkce_verifier_enc, redirect_uri, token_url, inputs, reconnect_connection_id, host_redirect_url';

function callbackAttemptOf(row: Record<string, unknown>): CallbackAttempt {
  return {
    id: String(row.id),
    providerId: String(row.provider_id),
    externalUserId: String(row.external_user_id),
    sessionId: textOf(row.session_id),
    bindingHash: textOf(row.binding_hash),
    consumedAt: dateOf(row.consumed_at),
    expiresAt: dateOf(row.expires_at)!,
    pkceVerifierEnc: textOf(row.pkce_verifier_enc),
    redirectUri: String(row.redirect_uri),
    tokenUrl: String(row.token_url),
    inputs: (jsonOf(row.inputs) ?? {}) as Record<string, string>,
    reconnectConnectionId: textOf(row.reconnect_connection_id),
    hostRedirectUrl: textOf(row.host_redirect_url),
  };
}

/** The attempt a callback's state names, or null (a plain select of the unique state hash). */
export async function attemptByState(em: Em, stateHash: string): Promise<CallbackAttempt | null> {
  const row = await readRow(
    em,
    `select ${CALLBACK_COLUMNS} from auth_attempts where state_hash = ?`,
    [stateHash],
  );
  return row ? callbackAttemptOf(row) : null;
}

/**
 * Finds and consumes the attempt in one statement — `update … where <not yet consumed, this
 * provider, this browser> returning …`, a compare-and-swap: of two callbacks with the same state
 * (a replay, a double submit, two instances) exactly one gets the row back; every other one gets
 * nothing and may not go on. The browser check is part of the condition, so a callback from
 * another browser consumes nothing. `RETURNING`: https://www.sqlite.org/lang_returning.html
 * (SQLite ≥ 3.35) and https://www.postgresql.org/docs/current/dml-returning.html.
 */
export async function claimAttemptByState(
  em: Em,
  claim: {
    stateHash: string;
    providerId: string;
    sessionId: string | null;
    bindingHash: string | null;
    now: Date;
  },
): Promise<CallbackAttempt | null> {
  const rows = await em
    .getConnection()
    .execute<Record<string, unknown>[]>(
      'update auth_attempts set consumed_at = ?, updated_at = ? ' +
        'where state_hash = ? and provider_id = ? and consumed_at is null ' +
        'and (session_id = ? or (session_id is null and binding_hash = ?)) ' +
        `returning ${CALLBACK_COLUMNS}`,
      [claim.now, claim.now, claim.stateHash, claim.providerId, claim.sessionId, claim.bindingHash],
      'all',
    );
  return rows[0] ? callbackAttemptOf(rows[0]) : null;
}

/** Consumes an attempt already read (signed callbacks, verified first): true for the one winner. */
export async function claimAttemptById(em: Em, id: string, now: Date): Promise<boolean> {
  const claimed = await em.nativeUpdate(
    AuthAttempt,
    { id, consumedAt: null },
    { consumedAt: now, updatedAt: now },
  );
  return claimed === 1;
}

export function attemptErrorMessage(
  code: ErrorCode,
  providerName: string,
  reconnectingLabel?: string,
): string {
  switch (code) {
    case 'RECONNECT_ACCOUNT_MISMATCH':
      return `You signed in to a different ${providerName} account than the one you are reconnecting${reconnectingLabel ? ` (${reconnectingLabel})` : ''}. Nothing was changed: reconnect and choose that account, or use Connect ${providerName} to add the other one.`;
    case 'PROVIDER_DENIED':
      return ERROR_MESSAGES.PROVIDER_DENIED;
    case 'PROVIDER_UNAVAILABLE':
      return `${providerName} is not available right now (it did not answer, or answered with an error). Try again in a few minutes.`;
    case 'GRANT_INVALID':
      return `${providerName} did not accept the authorization (it may have expired or been used already). Start connecting again.`;
    default:
      return ERROR_MESSAGES[code];
  }
}
