import {
  ERROR_MESSAGES,
  isErrorCode,
  PlugboardError,
  type ConnectionDto,
  type ErrorCode,
  type TelegramQrEvent,
  type TelegramQrStartOutput,
  type TelegramSendCodeInput,
  type TelegramSendCodeOutput,
  type TelegramVerifyCodeInput,
  type TelegramVerifyCodeOutput,
  type TelegramVerifyPasswordInput,
  type TelegramVerifyPasswordOutput,
} from '@plugboard/contracts';
import { Connection, TelegramFlow, type Em, type TelegramFlowStep } from '@plugboard/db';
import { aadFor, newId, open, seal } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { toConnectionDto, upsertConnection } from '../connections';
import type { SessionInfo } from '../sessions';
import { maskPhone, type TelegramUser } from '@plugboard/providers';

/** A flow lives as long as an OAuth attempt. */
export const TELEGRAM_FLOW_TTL_SECONDS = 10 * 60;
/** Wrong codes (and wrong passwords) a flow tolerates before it fails. */
export const TELEGRAM_MAX_TRIES = 5;
/** Flows one browser session may start per hour (each sends an SMS / app message). */
export const TELEGRAM_MAX_FLOWS_PER_HOUR = 10;
/** How often `qr.watch` asks Telegram whether the token was scanned. */
export const TELEGRAM_QR_POLL_MS = 1000;

const sessionAad = (flowId: string) => aadFor('telegram_flows', 'gateway_session', flowId);
const hashAad = (flowId: string) => aadFor('telegram_flows', 'phone_code_hash', flowId);

/** Starts a phone login: Telegram sends a code to the user's app (or SMS). */
export async function sendTelegramCode(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  input: TelegramSendCodeInput,
): Promise<TelegramSendCodeOutput> {
  await checkFlowBudget(em, deps, session);
  const sent = await deps.modes.telegram.steps.sendCode({ phone: input.phone });
  const id = newId('tgf_');
  createFlow(em, deps, session, {
    id,
    kind: 'phone',
    step: 'code_sent',
    phone: input.phone,
    gatewaySessionEnc: seal(deps.keyring, sent.session, sessionAad(id)),
    phoneCodeHashEnc: seal(deps.keyring, sent.phoneCodeHash, hashAad(id)),
  });
  await em.flush();
  deps.logger.info({ flowId: id, phone: maskPhone(input.phone) }, 'telegram code sent');
  return {
    flowId: id as TelegramSendCodeOutput['flowId'],
    codeLength: sent.codeLength,
    timeoutSeconds: sent.timeoutSeconds,
  };
}

/** Checks the code; connects the account, or asks for the 2FA password. */
export async function verifyTelegramCode(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  input: TelegramVerifyCodeInput,
): Promise<TelegramVerifyCodeOutput> {
  const flow = await loadLiveFlow(em, deps, session, input.flowId);
  if (flow.step !== 'code_sent' || !flow.phone || !flow.phoneCodeHashEnc) {
    throw new PlugboardError('FLOW_STEP_INVALID');
  }
  const tries = await claimTry(em, deps, flow, 'codeAttempts');
  let result;
  try {
    result = await deps.modes.telegram.steps.signIn({
      session: openSession(deps, flow),
      phone: flow.phone,
      phoneCodeHash: open(deps.keyring, flow.phoneCodeHashEnc, hashAad(flow.id)),
      code: input.code,
    });
  } catch (err) {
    if (err instanceof PlugboardError && err.code === 'CODE_INVALID') {
      if (tries >= TELEGRAM_MAX_TRIES) await failAndThrow(em, deps, flow.id, 'TOO_MANY_ATTEMPTS');
      deps.logger.warn({ flowId: flow.id, tries }, 'telegram code rejected');
    }
    // An expired (or already used) code cannot become valid again: this flow is over.
    if (err instanceof PlugboardError && err.code === 'CODE_EXPIRED') {
      await failAndThrow(em, deps, flow.id, 'CODE_EXPIRED');
    }
    throw err;
  }
  if (result.kind === 'password_needed') {
    await toPasswordStep(em, deps, flow.id, result.session, result.hint);
    return { status: 'password_needed', hint: result.hint };
  }
  const connection = await completeFlow(em, deps, flow, result.session, result.user);
  return { status: 'connected', connection };
}

/** Answers the 2FA password challenge (phone or QR flow); connects the account. */
export async function verifyTelegramPassword(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  input: TelegramVerifyPasswordInput,
): Promise<TelegramVerifyPasswordOutput> {
  const flow = await loadLiveFlow(em, deps, session, input.flowId);
  if (flow.step !== 'password_needed') throw new PlugboardError('FLOW_STEP_INVALID');
  const tries = await claimTry(em, deps, flow, 'passwordAttempts');
  let result;
  try {
    result = await deps.modes.telegram.steps.checkPassword({
      session: openSession(deps, flow),
      password: input.password,
    });
  } catch (err) {
    if (err instanceof PlugboardError && err.code === 'PASSWORD_INVALID') {
      if (tries >= TELEGRAM_MAX_TRIES) await failAndThrow(em, deps, flow.id, 'TOO_MANY_ATTEMPTS');
      deps.logger.warn({ flowId: flow.id, tries }, 'telegram password rejected');
    }
    throw err;
  }
  const connection = await completeFlow(em, deps, flow, result.session, result.user);
  return { status: 'connected', connection };
}

/** Starts a QR login: a `tg://login` token for the user's Telegram app to scan. */
export async function startTelegramQr(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
): Promise<TelegramQrStartOutput> {
  await checkFlowBudget(em, deps, session);
  const result = await deps.modes.telegram.steps.exportLoginToken({});
  if (result.kind !== 'token') {
    // A brand-new session cannot be logged in already; Telegram answered something else.
    throw new PlugboardError('PROVIDER_ERROR', 'Telegram did not issue a login token. Try again.');
  }
  const id = newId('tgf_');
  createFlow(em, deps, session, {
    id,
    kind: 'qr',
    step: 'qr_waiting',
    phone: null,
    gatewaySessionEnc: seal(deps.keyring, result.session, sessionAad(id)),
    phoneCodeHashEnc: null,
  });
  await em.flush();
  deps.logger.info({ flowId: id }, 'telegram qr login started');
  return {
    flowId: id as TelegramQrStartOutput['flowId'],
    loginUrl: loginUrl(result.token),
    expiresAt: result.expiresAt.toISOString(),
  };
}

/**
 * Follows a QR login until it ends: polls Telegram about once a second (MTProto would push
 * `updateLoginToken`, which plain HTTP cannot), yields `waiting` each time the token changes
 * (Telegram re-issues it every ~30 s), `password_needed` once, then `connected` or `failed`.
 * Stops when the client goes away (`signal`). The flow row is the state, so a reconnect (or
 * another server instance) picks up where this left off.
 */
export async function* watchTelegramQr(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  flowId: string,
  signal: AbortSignal | undefined,
  pollMs = TELEGRAM_QR_POLL_MS,
): AsyncGenerator<TelegramQrEvent> {
  const first = await findFlow(em, session, flowId);
  if (!first || first.kind !== 'qr') {
    throw new PlugboardError('NOT_FOUND', 'That Telegram sign-in does not exist.');
  }
  let lastUrl: string | null = null;
  let askedForPassword = false;
  while (!signal?.aborted) {
    // A fresh fork per round: the row changes under us (verifyPassword, other instances).
    const fork = em.fork();
    const flow = await fork.findOne(TelegramFlow, { id: flowId });
    if (!flow) return yield failed('NOT_FOUND');
    if (flow.step !== 'completed' && flow.step !== 'failed' && isExpired(deps, flow)) {
      await markFailed(fork, deps, flow.id, 'STATE_EXPIRED');
      return yield failed('STATE_EXPIRED');
    }
    switch (flow.step) {
      case 'completed': {
        const row = flow.connectionId
          ? await fork.findOne(Connection, { id: flow.connectionId })
          : null;
        if (!row) return yield failed('NOT_FOUND');
        return yield { status: 'connected', connection: toConnectionDto(row) };
      }
      case 'failed':
        return yield failed(isErrorCode(flow.errorCode) ? flow.errorCode : 'INTERNAL');
      case 'password_needed':
        // verifyPassword finishes it; this loop only reports the outcome.
        if (!askedForPassword) {
          askedForPassword = true;
          yield { status: 'password_needed', hint: flow.passwordHint ?? null };
        }
        break;
      case 'code_sent':
        return yield failed('FLOW_STEP_INVALID');
      case 'qr_waiting': {
        let result;
        try {
          result = await deps.modes.telegram.steps.exportLoginToken({
            session: openSession(deps, flow),
          });
        } catch (err) {
          const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
          // Passing trouble: keep waiting, the token may still be scanned.
          if (code !== 'PROVIDER_UNAVAILABLE' && code !== 'FLOOD_WAIT') {
            await markFailed(fork, deps, flow.id, code);
            return yield failed(code);
          }
          deps.logger.warn({ flowId, errorCode: code }, 'telegram qr poll failed; retrying');
          break;
        }
        if (result.kind === 'token') {
          const url = loginUrl(result.token);
          if (url !== lastUrl) {
            lastUrl = url;
            yield { status: 'waiting', loginUrl: url, expiresAt: result.expiresAt.toISOString() };
          }
        } else if (result.kind === 'password_needed') {
          await toPasswordStep(fork, deps, flow.id, result.session, result.hint);
          askedForPassword = true;
          yield { status: 'password_needed', hint: result.hint };
        } else {
          const connection = await completeFlow(fork, deps, flow, result.session, result.user);
          return yield { status: 'connected', connection };
        }
        break;
      }
    }
    await sleep(pollMs, signal);
  }
}

async function completeFlow(
  em: Em,
  deps: CoreDeps,
  flow: TelegramFlow,
  gatewaySession: string,
  user: TelegramUser,
): Promise<ConnectionDto> {
  // The session string is the credential, sealed like every other mode's; it never expires.
  const mode = deps.modes.telegram;
  const connection = await upsertConnection(em, deps, {
    providerId: 'telegram',
    externalUserId: flow.externalUserId,
    account: mode.identity(user, flow.kind),
    credentials: mode.credentials(gatewaySession),
  });
  await em.nativeUpdate(
    TelegramFlow,
    { id: flow.id },
    {
      step: 'completed',
      connectionId: connection.id,
      gatewaySessionEnc: null,
      phoneCodeHashEnc: null,
      updatedAt: deps.clock.now(),
    },
  );
  deps.logger.info(
    { flowId: flow.id, connectionId: connection.id, kind: flow.kind },
    'telegram account connected',
  );
  return toConnectionDto(connection);
}

async function toPasswordStep(
  em: Em,
  deps: CoreDeps,
  flowId: string,
  gatewaySession: string,
  hint: string | null,
) {
  await em.nativeUpdate(
    TelegramFlow,
    { id: flowId },
    {
      step: 'password_needed',
      gatewaySessionEnc: seal(deps.keyring, gatewaySession, sessionAad(flowId)),
      phoneCodeHashEnc: null,
      passwordHint: hint?.slice(0, 255) ?? null,
      updatedAt: deps.clock.now(),
    },
  );
  deps.logger.info({ flowId }, 'telegram password needed');
}

/**
 * Counts one try before Telegram sees it, by compare-and-swap on the row's version: concurrent
 * tries cannot share a count, and a try that errors for another reason still counts (so no error
 * path makes guessing cheaper). Returns the tries so far, this one included.
 */
async function claimTry(
  em: Em,
  deps: CoreDeps,
  flow: TelegramFlow,
  counter: 'codeAttempts' | 'passwordAttempts',
): Promise<number> {
  const tries = flow[counter] + 1;
  const claimed = await em.nativeUpdate(
    TelegramFlow,
    { id: flow.id, version: flow.version, step: flow.step },
    { [counter]: tries, version: flow.version + 1, updatedAt: deps.clock.now() },
  );
  if (claimed !== 1) {
    throw new PlugboardError(
      'FLOW_STEP_INVALID',
      'Another try for this sign-in is in progress. Wait for it, then try again.',
    );
  }
  return tries;
}

async function checkFlowBudget(em: Em, deps: CoreDeps, session: SessionInfo) {
  const since = new Date(deps.clock.now().getTime() - 3600 * 1000);
  const recent = await em.count(TelegramFlow, { sessionId: session.id, createdAt: { $gt: since } });
  if (recent >= TELEGRAM_MAX_FLOWS_PER_HOUR) {
    deps.logger.warn({ sessionId: session.id }, 'telegram flow budget exhausted');
    throw new PlugboardError(
      'TOO_MANY_ATTEMPTS',
      'Too many Telegram sign-ins were started. Wait an hour, then try again.',
    );
  }
}

function createFlow(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  f: Pick<
    TelegramFlow,
    'id' | 'kind' | 'step' | 'phone' | 'gatewaySessionEnc' | 'phoneCodeHashEnc'
  >,
) {
  const now = deps.clock.now();
  em.create(TelegramFlow, {
    ...f,
    sessionId: session.id,
    externalUserId: session.externalUserId,
    codeAttempts: 0,
    passwordAttempts: 0,
    passwordHint: null,
    errorCode: null,
    connectionId: null,
    version: 1,
    expiresAt: new Date(now.getTime() + TELEGRAM_FLOW_TTL_SECONDS * 1000),
    createdAt: now,
    updatedAt: now,
  });
}

/** Flows are bound to the browser session that started them, not just to the end user. */
function findFlow(em: Em, session: SessionInfo, flowId: string) {
  return em.findOne(TelegramFlow, {
    id: flowId,
    sessionId: session.id,
    externalUserId: session.externalUserId,
  });
}

async function loadLiveFlow(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  flowId: string,
): Promise<TelegramFlow> {
  const flow = await findFlow(em, session, flowId);
  if (!flow) throw new PlugboardError('NOT_FOUND', 'That Telegram sign-in does not exist.');
  if (flow.step === 'failed') {
    const code = isErrorCode(flow.errorCode) ? flow.errorCode : 'FLOW_STEP_INVALID';
    throw new PlugboardError(code, failureMessage(code));
  }
  if (flow.step === 'completed') throw new PlugboardError('FLOW_STEP_INVALID');
  if (isExpired(deps, flow)) await failAndThrow(em, deps, flow.id, 'STATE_EXPIRED');
  return flow;
}

function isExpired(deps: CoreDeps, flow: TelegramFlow): boolean {
  return flow.expiresAt.getTime() <= deps.clock.now().getTime();
}

function openSession(deps: CoreDeps, flow: TelegramFlow): string {
  if (!flow.gatewaySessionEnc) throw new PlugboardError('FLOW_STEP_INVALID');
  return open(deps.keyring, flow.gatewaySessionEnc, sessionAad(flow.id));
}

/** Ends a flow for good; the sealed session and hash go with it. */
async function markFailed(em: Em, deps: CoreDeps, flowId: string, code: ErrorCode) {
  await em.nativeUpdate(
    TelegramFlow,
    { id: flowId, step: { $nin: ['completed', 'failed'] satisfies TelegramFlowStep[] } },
    {
      step: 'failed',
      errorCode: code,
      gatewaySessionEnc: null,
      phoneCodeHashEnc: null,
      updatedAt: deps.clock.now(),
    },
  );
  deps.logger.warn({ flowId, errorCode: code }, 'telegram sign-in failed');
}

async function failAndThrow(em: Em, deps: CoreDeps, flowId: string, code: ErrorCode) {
  await markFailed(em, deps, flowId, code);
  throw new PlugboardError(code, failureMessage(code));
}

function failureMessage(code: ErrorCode): string {
  switch (code) {
    case 'TOO_MANY_ATTEMPTS':
      return 'Too many wrong tries for this sign-in. Start again to get a new code.';
    case 'STATE_EXPIRED':
      return 'This Telegram sign-in took too long and expired. Start again.';
    default:
      return ERROR_MESSAGES[code];
  }
}

function failed(code: ErrorCode): TelegramQrEvent {
  return { status: 'failed', error: { code, message: failureMessage(code) } };
}

/** `tg://login?token=<base64url>`, what the Telegram app scans (core.telegram.org/api/qr-login). */
function loginUrl(token: Buffer): string {
  return `tg://login?token=${token.toString('base64url')}`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
