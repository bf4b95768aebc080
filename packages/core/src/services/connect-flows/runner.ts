import {
  ERROR_MESSAGES,
  isErrorCode,
  PlugboardError,
  type ConnectionDto,
  type ErrorCode,
} from '@plugboard/contracts';
import { Connection, ConnectFlow, type Em } from '@plugboard/db';
import type { FlowAction, FlowReply, StepFlowDefinition, StepResult } from '@plugboard/providers';
import { newId } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { toConnectionDto, upsertConnection } from '../connections';
import type { SessionInfo } from '../sessions';
import {
  claimTry,
  completeFlowRow,
  isEnded,
  isExpired,
  markFailed,
  moveFlow,
  openState,
  sealState,
} from './store';

/**
 * The generic multi-step connect runner: a mode supplies the steps
 * (packages/providers/src/modes/step-flow.ts), this keeps them honest — the flow bound to the
 * browser session that began it, its state sealed between steps, its expiry, the tries per step,
 * the flows per session and hour — and stores the connection when a step says so. It names no
 * mode and no provider; the public procedures that call it do (packages/api/src/routers/connect).
 */

/** What a finished step tells its caller. */
export type ConnectedReply = { status: 'connected'; connection: ConnectionDto };
export type FailedReply = { status: 'failed'; error: { code: ErrorCode; message: string } };

// The runner is generic over each definition's own state, starts and answers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any definition, whatever its types
type AnyFlow = StepFlowDefinition<any, any, any>;

/** Begins a flow the way `kind` names (the mode's starts); returns its id with the start's reply. */
export async function startConnectFlow<
  S,
  St extends Record<string, unknown>,
  A extends Record<string, unknown>,
  K extends keyof St & string,
>(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  def: StepFlowDefinition<S, St, A>,
  kind: K,
  input: St[K],
): Promise<{ flowId: string } & FlowReply> {
  await checkFlowBudget(em, deps, session, def);
  const started = await def.starts[kind].run(input);
  const id = newId(def.idPrefix);
  const now = deps.clock.now();
  em.create(ConnectFlow, {
    id,
    sessionId: session.id,
    externalUserId: session.externalUserId,
    providerId: def.providerId,
    mode: def.mode,
    kind,
    step: started.step,
    stateEnc: sealState(deps, id, started.state),
    attempts: 0,
    errorCode: null,
    connectionId: null,
    version: 1,
    expiresAt: new Date(now.getTime() + def.ttlSeconds * 1000),
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  deps.logger.info(
    { flowId: id, providerId: def.providerId, kind, step: started.step },
    'connect flow started',
  );
  return { flowId: id, ...started.reply };
}

/** Answers the flow's current step (`action`: the mode's name for the answer, a code, say). */
export async function answerConnectFlow<
  S,
  St extends Record<string, unknown>,
  A extends Record<string, unknown>,
  K extends keyof A & string,
>(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  def: StepFlowDefinition<S, St, A>,
  flowId: string,
  action: K,
  input: A[K],
): Promise<FlowReply> {
  const flow = await loadLiveFlow(em, deps, session, def, flowId);
  const act: FlowAction<S, A[K]> | undefined = def.steps[flow.step]?.actions?.[action];
  if (!act) throw new PlugboardError('FLOW_STEP_INVALID');
  const tries = act.counted ? await claimTry(em, deps, flow) : 0;
  let result: StepResult<S>;
  try {
    result = await act.run(openState<S>(deps, flow), input);
  } catch (err) {
    if (err instanceof PlugboardError) {
      const policy = act.onError?.(err.code) ?? 'keep';
      if (policy === 'wrong_answer') {
        if (tries >= def.maxTries) await failAndThrow(em, deps, def, flow, 'TOO_MANY_ATTEMPTS');
        deps.logger.warn(
          { flowId: flow.id, step: flow.step, tries },
          'connect flow answer refused',
        );
      } else if (policy === 'end') {
        await failAndThrow(em, deps, def, flow, err.code);
      }
    }
    throw err;
  }
  return apply(em, deps, def, flow, result);
}

/**
 * Follows a flow until it ends, for a watching client: polls the steps that wait for something
 * outside (`poll`) every `pollMs`, yields each new reply (a re-issued QR code, say), what a step
 * waiting for the person says (once), then `connected` or `failed`. Stops when the client goes
 * away (`signal`). The row is the state, so a reconnect (or another server instance) picks up
 * where this left off.
 */
export async function* watchConnectFlow(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  def: AnyFlow,
  flowId: string,
  signal: AbortSignal | undefined,
  pollMs: number = def.pollMs,
): AsyncGenerator<FlowReply> {
  const first = await findFlow(em, session, def, flowId);
  if (!first || !def.starts[first.kind]?.watchable) throw notFound(def);
  let last: string | null = null;
  const isNew = (reply: FlowReply) => {
    const key = JSON.stringify(reply);
    if (key === last) return false;
    last = key;
    return true;
  };
  while (!signal?.aborted) {
    // A fresh fork per round: the row changes under us (an answer, other instances).
    const fork = em.fork();
    const flow = await fork.findOne(ConnectFlow, { id: flowId });
    if (!flow) return yield failed(def, 'NOT_FOUND');
    if (!isEnded(flow) && isExpired(deps, flow)) {
      await markFailed(fork, deps, flow, 'STATE_EXPIRED');
      return yield failed(def, 'STATE_EXPIRED');
    }
    if (flow.step === 'completed') {
      const row = flow.connectionId
        ? await fork.findOne(Connection, { id: flow.connectionId })
        : null;
      if (!row) return yield failed(def, 'NOT_FOUND');
      return yield { status: 'connected', connection: toConnectionDto(row) };
    }
    if (flow.step === 'failed') {
      return yield failed(def, isErrorCode(flow.errorCode) ? flow.errorCode : 'INTERNAL');
    }
    const step = def.steps[flow.step];
    if (step?.poll) {
      let result: StepResult<unknown> | null = null;
      try {
        result = await step.poll.run(openState(deps, flow), undefined);
      } catch (err) {
        const code = err instanceof PlugboardError ? err.code : 'INTERNAL';
        if ((step.poll.onError?.(code) ?? 'keep') !== 'keep') {
          await markFailed(fork, deps, flow, code);
          return yield failed(def, code);
        }
        deps.logger.warn({ flowId, errorCode: code }, 'connect flow poll failed; retrying');
      }
      if (result) {
        const reply = await apply(fork, deps, def, flow, result);
        if (result.kind === 'connect') return yield reply;
        if (isNew(reply)) yield reply;
      }
    } else if (step?.waiting) {
      const reply = step.waiting(openState(deps, flow));
      if (isNew(reply)) yield reply;
    } else {
      return yield failed(def, 'FLOW_STEP_INVALID');
    }
    await sleep(pollMs, signal);
  }
}

/** Carries out where a step leads. */
async function apply<S>(
  em: Em,
  deps: CoreDeps,
  def: AnyFlow,
  flow: ConnectFlow,
  result: StepResult<S>,
): Promise<FlowReply> {
  switch (result.kind) {
    case 'stay':
      return result.reply;
    case 'next':
      await moveFlow(em, deps, flow, result.step, result.state);
      deps.logger.info({ flowId: flow.id, step: result.step }, 'connect flow moved on');
      return result.reply;
    case 'connect': {
      const connection = await upsertConnection(em, deps, {
        providerId: def.providerId,
        externalUserId: flow.externalUserId,
        account: result.account,
        credentials: result.credentials,
      });
      await completeFlowRow(em, deps, flow, connection.id);
      deps.logger.info(
        { flowId: flow.id, connectionId: connection.id, kind: flow.kind },
        `${def.providerId} account connected`,
      );
      return { status: 'connected', connection: toConnectionDto(connection) } as ConnectedReply;
    }
  }
}

async function checkFlowBudget(em: Em, deps: CoreDeps, session: SessionInfo, def: AnyFlow) {
  const since = new Date(deps.clock.now().getTime() - 3600 * 1000);
  const recent = await em.count(ConnectFlow, {
    sessionId: session.id,
    providerId: def.providerId,
    createdAt: { $gt: since },
  });
  if (recent >= def.maxFlowsPerHour) {
    deps.logger.warn(
      { sessionId: session.id, providerId: def.providerId },
      'connect flow budget exhausted',
    );
    throw new PlugboardError(
      'TOO_MANY_ATTEMPTS',
      `Too many ${def.label} sign-ins were started. Wait an hour, then try again.`,
    );
  }
}

/** Flows are bound to the browser session that started them, not just to the end user. */
function findFlow(em: Em, session: SessionInfo, def: AnyFlow, flowId: string) {
  return em.findOne(ConnectFlow, {
    id: flowId,
    sessionId: session.id,
    externalUserId: session.externalUserId,
    providerId: def.providerId,
  });
}

async function loadLiveFlow(
  em: Em,
  deps: CoreDeps,
  session: SessionInfo,
  def: AnyFlow,
  flowId: string,
): Promise<ConnectFlow> {
  const flow = await findFlow(em, session, def, flowId);
  if (!flow) throw notFound(def);
  if (flow.step === 'failed') {
    const code = isErrorCode(flow.errorCode) ? flow.errorCode : 'FLOW_STEP_INVALID';
    throw new PlugboardError(code, failureMessage(def, code));
  }
  if (flow.step === 'completed') throw new PlugboardError('FLOW_STEP_INVALID');
  if (isExpired(deps, flow)) await failAndThrow(em, deps, def, flow, 'STATE_EXPIRED');
  return flow;
}

async function failAndThrow(
  em: Em,
  deps: CoreDeps,
  def: AnyFlow,
  flow: ConnectFlow,
  code: ErrorCode,
): Promise<never> {
  await markFailed(em, deps, flow, code);
  throw new PlugboardError(code, failureMessage(def, code));
}

const notFound = (def: AnyFlow) =>
  new PlugboardError('NOT_FOUND', `That ${def.label} sign-in does not exist.`);

function failureMessage(def: AnyFlow, code: ErrorCode): string {
  switch (code) {
    case 'TOO_MANY_ATTEMPTS':
      return 'Too many wrong tries for this sign-in. Start again to get a new code.';
    case 'STATE_EXPIRED':
      return `This ${def.label} sign-in took too long and expired. Start again.`;
    default:
      return ERROR_MESSAGES[code];
  }
}

function failed(def: AnyFlow, code: ErrorCode): FailedReply {
  return { status: 'failed', error: { code, message: failureMessage(def, code) } };
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
