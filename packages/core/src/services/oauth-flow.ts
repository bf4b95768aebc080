import {
  PlugboardError,
  ProviderIdSchema,
  isErrorCode,
  type AttemptDto,
  type ErrorCode,
  type StartOAuthInput,
  type StartOAuthOutput,
} from '@plugboard/contracts';
import { AuthAttempt, Connection, type Em } from '@plugboard/db';
import { findCatalogEntry, getProvider } from '@plugboard/providers';
import { open, sha256Hex } from '../crypto';
import type { CoreDeps } from '../deps';
import { elapsedMs, telemetryOf } from '../telemetry';
import { toConnectionDto, upsertConnection } from './connections';
import { errorSummary } from './error-summary';
import { integrationConfig } from './integrations';
import {
  attemptByState,
  attemptErrorMessage,
  claimAttemptById,
  claimAttemptByState,
  createAttempt,
  verifierAad,
  type CallbackAttempt,
} from './oauth-attempts';
import { readRow } from './raw-rows';
import type { SessionInfo } from './sessions';

export { redirectUriFor } from './oauth-attempts';

/** Starts an OAuth flow for the Connect UI's session: the browser goes straight to the provider. */
export async function startOAuth(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  input: StartOAuthInput,
): Promise<StartOAuthOutput> {
  if (input.reconnectConnectionId) {
    // Only one of this user's own connections, and for this provider, can be renewed.
    const target = await em.findOne(Connection, {
      id: input.reconnectConnectionId,
      externalUserId: session.externalUserId,
      providerId: input.providerId,
    });
    if (!target) {
      throw new PlugboardError(
        'NOT_FOUND',
        'That connection does not exist or was removed. Connect the account again instead.',
      );
    }
  }
  const started = await createAttempt(
    em,
    deps,
    {
      externalUserId: session.externalUserId,
      sessionId: session.id,
      providerId: input.providerId,
      inputs: input.inputs ?? {},
      returnTo: input.returnTo ?? null,
      hostRedirectUrl: null,
      reconnectConnectionId: input.reconnectConnectionId ?? null,
    },
    null,
  );
  return {
    authorizationUrl: started.authorizationUrl,
    attemptId: started.attemptId as StartOAuthOutput['attemptId'],
  };
}

export type CallbackQuery = Record<string, string | string[] | undefined>;

/** Where the browser goes after the callback: always a clean URL with no OAuth parameters. */
export interface CallbackOutcome {
  redirectTo: string;
  attemptId: string | null;
  status: 'completed' | 'failed' | 'rejected';
  errorCode: ErrorCode | null;
}

/**
 * Handles `GET /oauth/callback/:providerId`. The attempt is consumed by a compare-and-swap whose
 * condition is the state check itself (known, for this provider, for this browser, not yet
 * consumed: one `update … returning`), and only a freshly consumed attempt may reach the token
 * endpoint — so a replayed or double-submitted callback can never exchange a code twice. A
 * provider-signed callback (Shopify) is read and verified first, then consumed by id.
 */
export async function handleOAuthCallback(
  em: Em,
  deps: CoreDeps,
  args: {
    providerId: string;
    query: CallbackQuery;
    sessionId: string | null;
    /** The browser's binding cookie (headless attempts). */
    bindingValue?: string | undefined;
  },
): Promise<CallbackOutcome> {
  const startedAt = performance.now();
  const reject = (code: ErrorCode, attemptId: string | null = null): CallbackOutcome => {
    deps.logger.warn(
      { providerId: safeProviderId(args.providerId), attemptId, errorCode: code },
      'oauth callback rejected',
    );
    telemetryOf(deps).connectFlowFinished({
      providerId: args.providerId,
      outcome: 'rejected',
      errorCode: code,
      durationMs: elapsedMs(startedAt),
    });
    return {
      redirectTo: resultUrl(deps, { error: code }),
      attemptId,
      status: 'rejected',
      errorCode: code,
    };
  };

  if (!ProviderIdSchema.safeParse(args.providerId).success || !findCatalogEntry(args.providerId)) {
    return reject('PROVIDER_UNKNOWN');
  }
  // A parameter sent twice is an attack or a broken proxy; either way nothing is trusted.
  if (Object.values(args.query).some((v) => Array.isArray(v))) return reject('STATE_INVALID');
  const q = args.query as Record<string, string | undefined>;
  const state = q.state;
  if (!state || state.length > 200) return reject('STATE_INVALID');

  const stateHash = sha256Hex(state);
  const browser = {
    sessionId: args.sessionId,
    bindingHash: args.bindingValue ? sha256Hex(args.bindingValue) : null,
  };
  const now = deps.clock.now();
  let attempt: CallbackAttempt;
  if (hasCallbackCheck(args.providerId)) {
    // A provider-signed response (Shopify) is verified before the attempt is consumed, so a
    // forged or altered one changes nothing and the genuine response can still complete it:
    // read, check, verify, then consume by a compare-and-swap on the id.
    const found = await attemptByState(em, stateHash);
    const refused = refusal(found, args.providerId, browser);
    if (refused || !found) return reject(...(refused ?? ['STATE_INVALID', null]));
    const unverified = await callbackRejection(em, deps, found, q);
    if (unverified) return reject(unverified, found.id);
    if (!(await claimAttemptById(em, found.id, now))) return reject('STATE_USED', found.id);
    attempt = found;
  } else {
    // Found and consumed by one statement; only when nothing was consumed is the row read, to
    // say why (unknown, another provider or browser, or used already).
    const claimed = await claimAttemptByState(em, {
      stateHash,
      providerId: args.providerId,
      ...browser,
      now,
    });
    if (!claimed) {
      const found = await attemptByState(em, stateHash);
      return reject(...(refusal(found, args.providerId, browser) ?? ['STATE_USED', found!.id]));
    }
    attempt = claimed;
  }

  /** The attempt's outcome, on its own or (completed) in the connection's transaction. */
  const writeOutcome = (
    db: Em,
    status: 'completed' | 'failed' | 'expired',
    errorCode: ErrorCode | null,
    connectionId: string | null,
  ) =>
    db.nativeUpdate(
      AuthAttempt,
      { id: attempt.id },
      { status, errorCode, connectionId, updatedAt: deps.clock.now() },
    );
  const finish = async (
    status: 'completed' | 'failed' | 'expired',
    errorCode: ErrorCode | null,
    connectionId: string | null = null,
    outcomeWritten = false,
  ) => {
    if (!outcomeWritten) await writeOutcome(em, status, errorCode, connectionId);
    const log =
      status === 'completed'
        ? deps.logger.info.bind(deps.logger)
        : deps.logger.warn.bind(deps.logger);
    log(
      { attemptId: attempt.id, providerId: attempt.providerId, status, errorCode, connectionId },
      'oauth attempt finished',
    );
    telemetryOf(deps).connectFlowFinished({
      providerId: attempt.providerId,
      outcome: status === 'completed' ? 'completed' : 'failed',
      errorCode,
      durationMs: elapsedMs(startedAt),
    });
    return {
      redirectTo: attempt.hostRedirectUrl
        ? hostReturnUrl(attempt.hostRedirectUrl, attempt.id, status, errorCode)
        : resultUrl(deps, { attempt: attempt.id }),
      attemptId: attempt.id,
      status: status === 'completed' ? ('completed' as const) : ('failed' as const),
      errorCode,
    };
  };

  if (attempt.expiresAt.getTime() <= now.getTime()) return finish('expired', 'STATE_EXPIRED');
  if (q.error !== undefined)
    return finish('failed', q.error === 'access_denied' ? 'PROVIDER_DENIED' : 'PROVIDER_ERROR');
  const code = q.code;
  if (!code || code.length > 2048) return finish('failed', 'CODE_MISSING');

  try {
    const provider = getProvider(attempt.providerId);
    const config = await integrationConfig(em, deps, provider.id);
    const ctx = { http: deps.http, config, inputs: attempt.inputs };
    const codeVerifier = attempt.pkceVerifierEnc
      ? open(deps.keyring, attempt.pkceVerifierEnc, verifierAad(attempt.id))
      : null;
    const mode = deps.modes[provider.authMode];
    const tokens = await mode.exchange(provider, ctx, {
      code,
      redirectUri: attempt.redirectUri,
      codeVerifier,
      tokenUrl: attempt.tokenUrl,
      now: deps.clock.now(),
    });
    const account = await mode.identity(provider, tokens, ctx);
    if (attempt.reconnectConnectionId) {
      const target = await readRow(em, 'select account_id from connections where id = ?', [
        attempt.reconnectConnectionId,
      ]);
      // Signed in to another account than the one being reconnected: store nothing (the old
      // connection keeps its state, no second one appears) and say which account to pick. The
      // new grant is not revoked: at several providers that would end a grant another of this
      // user's connections shares.
      if (target && String(target.account_id) !== account.accountId) {
        return await finish('failed', 'RECONNECT_ACCOUNT_MISMATCH');
      }
    }
    const connection = await upsertConnection(em, deps, {
      providerId: provider.id,
      externalUserId: attempt.externalUserId,
      account,
      credentials: mode.credentials(tokens),
      // The attempt's outcome commits with the connection, its event and its audit entry.
      inTransaction: (tx, connectionId) => writeOutcome(tx, 'completed', null, connectionId),
    });
    return await finish('completed', null, connection.id, true);
  } catch (err) {
    if (err instanceof PlugboardError) return finish('failed', err.code);
    deps.logger.error(
      { attemptId: attempt.id, err: errorSummary(err) },
      'oauth callback failed unexpectedly',
    );
    return finish('failed', 'INTERNAL');
  }
}

export async function getAttempt(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  attemptId: string,
): Promise<AttemptDto> {
  const a = await em.findOne(AuthAttempt, {
    id: attemptId,
    externalUserId: session.externalUserId,
  });
  if (!a) throw new PlugboardError('NOT_FOUND', 'That connection attempt does not exist.');
  const connection = a.connectionId ? await em.findOne(Connection, { id: a.connectionId }) : null;
  const expired = a.status === 'pending' && a.expiresAt.getTime() <= deps.clock.now().getTime();
  const status = expired ? 'expired' : a.status;
  const errorCode: ErrorCode | null = expired
    ? 'STATE_EXPIRED'
    : isErrorCode(a.errorCode)
      ? a.errorCode
      : null;
  const providerName = findCatalogEntry(a.providerId)?.name ?? a.providerId;
  const reconnecting =
    errorCode === 'RECONNECT_ACCOUNT_MISMATCH' && a.reconnectConnectionId
      ? await em.findOne(Connection, { id: a.reconnectConnectionId })
      : null;
  return {
    id: a.id as AttemptDto['id'],
    providerId: a.providerId as AttemptDto['providerId'],
    providerName,
    status,
    error: errorCode
      ? {
          code: errorCode,
          message: attemptErrorMessage(errorCode, providerName, reconnecting?.label),
        }
      : null,
    connection: connection ? toConnectionDto(connection) : null,
    inputs: { ...a.inputs },
    returnTo: a.returnTo ?? null,
    reconnectConnectionId: (a.reconnectConnectionId ?? null) as AttemptDto['reconnectConnectionId'],
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * The provider's own check of a successful authorization response, or null when it passes (or
 * the provider has none). Denials (`error=…`) are not checked: they grant nothing.
 */
async function callbackRejection(
  em: Em,
  deps: CoreDeps,
  attempt: Pick<CallbackAttempt, 'id' | 'providerId' | 'inputs'>,
  query: Record<string, string | undefined>,
): Promise<ErrorCode | null> {
  if (query.error !== undefined) return null;
  const entry = findCatalogEntry(attempt.providerId);
  // A provider whose mode has callbacks may check them itself.
  if (!entry || !('verifyCallback' in entry) || !entry.verifyCallback) return null;
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params[k] = v;
  try {
    entry.verifyCallback(params, {
      config: await integrationConfig(em, deps, entry.id),
      inputs: attempt.inputs,
      now: deps.clock.now(),
    });
    return null;
  } catch (err) {
    if (err instanceof PlugboardError) return err.code;
    // A verifier that breaks fails closed: an unverified response never reaches the token call.
    deps.logger.error(
      { attemptId: attempt.id, err: errorSummary(err) },
      'oauth callback verification failed unexpectedly',
    );
    return 'INTERNAL';
  }
}

/** Whether the provider checks its own callbacks (a signature: Shopify) before any claim. */
function hasCallbackCheck(providerId: string): boolean {
  const entry = findCatalogEntry(providerId);
  return !!entry && 'verifyCallback' in entry && !!entry.verifyCallback;
}

interface Browser {
  sessionId: string | null;
  bindingHash: string | null;
}

/**
 * Why an attempt may not be consumed by this callback, or null when it may: unknown state, a
 * state minted for another provider (mix-up) or one from another browser, or used already.
 */
function refusal(
  attempt: CallbackAttempt | null,
  providerId: string,
  browser: Browser,
): [ErrorCode, string | null] | null {
  if (!attempt || attempt.providerId !== providerId) return ['STATE_INVALID', null];
  if (!isSameBrowser(attempt, browser)) return ['STATE_INVALID', attempt.id];
  if (attempt.consumedAt) return ['STATE_USED', attempt.id];
  return null;
}

/** The Connect UI's session, or for a headless attempt the binding cookie set at launch. */
function isSameBrowser(attempt: CallbackAttempt, browser: Browser): boolean {
  if (attempt.sessionId) return attempt.sessionId === browser.sessionId;
  return !!attempt.bindingHash && attempt.bindingHash === browser.bindingHash;
}

function hostReturnUrl(
  base: string,
  attemptId: string,
  status: string,
  errorCode: ErrorCode | null,
): string {
  const url = new URL(base);
  url.searchParams.set('attempt', attemptId);
  url.searchParams.set('status', status === 'completed' ? 'completed' : 'failed');
  if (errorCode) url.searchParams.set('error', errorCode);
  return url.toString();
}

function resultUrl(deps: CoreDeps, params: { attempt?: string; error?: ErrorCode }): string {
  const url = new URL('/connect/result', deps.settings.webUrl);
  if (params.attempt) url.searchParams.set('attempt', params.attempt);
  if (params.error) url.searchParams.set('error', params.error);
  return url.toString();
}

function safeProviderId(id: string): string {
  return ProviderIdSchema.safeParse(id).success ? id : '(unknown)';
}
