import { ERROR_MESSAGES, type ErrorCode } from '@plugboard/contracts';
import { AuthAttempt, type Em } from '@plugboard/db';
import { getProvider } from '@plugboard/providers';
import { aadFor, createPkcePair, newId, randomSecret, seal, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { telemetryOf } from '../telemetry';
import { enabledIntegrationConfig } from './integrations';

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
