import {
  PlugboardError,
  isErrorCode,
  type CompleteOAuthOutput,
  type ErrorCode,
  type ServerStartOAuthInput,
  type StartOAuthOutput,
} from '@plugboard/contracts';
import { AuthAttempt, type Em } from '@plugboard/db';
import { findCatalogEntry } from '@plugboard/providers';
import { open, randomSecret, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { attemptErrorMessage, authorizationUrlAad, createAttempt } from './oauth-attempts';

/**
 * Headless OAuth (the Alloy model, `server.oauth.*`): a host app's backend starts the flow, the
 * user's browser opens Plugboard's single-use launch link, and the backend learns the result.
 * The callback itself is the one every flow uses (oauth-flow.ts).
 */

/**
 * Starts a headless flow for a host app's backend. The URL it returns is Plugboard's own
 * single-use launch link: opening it binds the browser (cookie) before going to the provider, so
 * the callback can check it comes back in the same browser even though no session exists.
 */
export async function startHeadlessOAuth(
  em: Em,
  deps: CoreDeps,
  input: ServerStartOAuthInput,
  /** The connection this flow renews (a reconnect link's, in the SDK's modal). */
  opts: { reconnectConnectionId?: string } = {},
): Promise<StartOAuthOutput> {
  const target = new URL(input.redirectUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(target.hostname);
  if (target.protocol !== 'https:' && !loopback && !deps.settings.allowInsecureRedirects) {
    throw new PlugboardError('RETURN_TO_INVALID', 'redirectUrl must use https.');
  }
  const launchToken = `${LAUNCH_PREFIX}${randomSecret(32)}`;
  const started = await createAttempt(
    em,
    deps,
    {
      externalUserId: input.externalUserId,
      sessionId: null,
      providerId: input.providerId,
      inputs: input.inputs ?? {},
      returnTo: null,
      hostRedirectUrl: input.redirectUrl,
      reconnectConnectionId: opts.reconnectConnectionId ?? null,
    },
    { launchTokenHash: sha256Hex(launchToken) },
  );
  const launch = new URL('/oauth/launch', deps.settings.publicUrl);
  launch.searchParams.set('token', launchToken);
  return {
    authorizationUrl: launch.toString(),
    attemptId: started.attemptId as StartOAuthOutput['attemptId'],
  };
}

const LAUNCH_PREFIX = 'lt_';

/**
 * `GET /oauth/launch?token=…`: consumes the launch token (once), binds the attempt to this
 * browser's binding cookie (creating one if needed) and returns the provider URL to go to.
 */
export async function launchHeadlessOAuth(
  em: Em,
  deps: CoreDeps,
  args: { token: string; bindingValue: string | undefined },
): Promise<{ providerUrl: string; bindingValue: string }> {
  if (!args.token.startsWith(LAUNCH_PREFIX) || args.token.length > 100)
    throw new PlugboardError('LAUNCH_INVALID');
  const attempt = await em.findOne(AuthAttempt, { launchTokenHash: sha256Hex(args.token) });
  const now = deps.clock.now();
  if (!attempt || !attempt.authorizationUrlEnc || attempt.expiresAt.getTime() <= now.getTime()) {
    throw new PlugboardError('LAUNCH_INVALID');
  }
  const bindingValue =
    args.bindingValue && /^[A-Za-z0-9_-]{43}$/.test(args.bindingValue)
      ? args.bindingValue
      : randomSecret(32);
  const claimed = await em.nativeUpdate(
    AuthAttempt,
    { id: attempt.id, launchedAt: null },
    { launchedAt: now, bindingHash: sha256Hex(bindingValue), updatedAt: now },
  );
  if (claimed !== 1) throw new PlugboardError('LAUNCH_INVALID');
  return {
    providerUrl: open(deps.keyring, attempt.authorizationUrlEnc, authorizationUrlAad(attempt.id)),
    bindingValue,
  };
}

/** What the host's backend learns after the browser came back to its redirect URL. */
export async function completeHeadlessOAuth(
  em: Em,
  deps: CoreDeps,
  attemptId: string,
): Promise<CompleteOAuthOutput> {
  const a = await em.findOne(AuthAttempt, { id: attemptId, hostRedirectUrl: { $ne: null } });
  if (!a) throw new PlugboardError('NOT_FOUND', 'That connection attempt does not exist.');
  const expired = a.status === 'pending' && a.expiresAt.getTime() <= deps.clock.now().getTime();
  const errorCode: ErrorCode | null = expired
    ? 'STATE_EXPIRED'
    : isErrorCode(a.errorCode)
      ? a.errorCode
      : null;
  const providerName = findCatalogEntry(a.providerId)?.name ?? a.providerId;
  return {
    attemptId: a.id as CompleteOAuthOutput['attemptId'],
    status: expired ? 'expired' : a.status,
    connectionId: (a.connectionId ?? null) as CompleteOAuthOutput['connectionId'],
    error: errorCode
      ? { code: errorCode, message: attemptErrorMessage(errorCode, providerName) }
      : null,
  };
}
