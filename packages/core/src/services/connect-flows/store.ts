import { PlugboardError, type ErrorCode } from '@plugboard/contracts';
import { CONNECT_FLOW_ENDS, ConnectFlow, type Em } from '@plugboard/db';
import { aadFor, open, seal } from '../../crypto';
import type { CoreDeps } from '../../deps';
import { telemetryOf } from '../../telemetry';

/**
 * The flow-step store: one `connect_flows` row per multi-step connect, its mode's state sealed
 * as one JSON value with AAD bound to the row. Every write that ends or moves a flow clears or
 * replaces the sealed state; nothing here knows which mode's state it holds.
 */

export const flowStateAad = (flowId: string) => aadFor('connect_flows', 'state', flowId);

export function sealState(deps: Pick<CoreDeps, 'keyring'>, flowId: string, state: unknown) {
  return seal(deps.keyring, JSON.stringify(state), flowStateAad(flowId));
}

export function openState<S>(deps: Pick<CoreDeps, 'keyring'>, flow: ConnectFlow): S {
  if (!flow.stateEnc) throw new PlugboardError('FLOW_STEP_INVALID');
  return JSON.parse(open(deps.keyring, flow.stateEnc, flowStateAad(flow.id))) as S;
}

export function isEnded(flow: ConnectFlow): boolean {
  return (CONNECT_FLOW_ENDS as readonly string[]).includes(flow.step);
}

export function isExpired(deps: Pick<CoreDeps, 'clock'>, flow: ConnectFlow): boolean {
  return flow.expiresAt.getTime() <= deps.clock.now().getTime();
}

/**
 * Moves a flow on to another step with new state; its tries start again. A try racing this one
 * loses its compare-and-swap: `claimTry` matches on the step too.
 */
export async function moveFlow(
  em: Em,
  deps: CoreDeps,
  flow: ConnectFlow,
  step: string,
  state: unknown,
): Promise<void> {
  await em.nativeUpdate(
    ConnectFlow,
    { id: flow.id, step: { $nin: [...CONNECT_FLOW_ENDS] } },
    {
      step,
      stateEnc: sealState(deps, flow.id, state),
      attempts: 0,
      updatedAt: deps.clock.now(),
    },
  );
}

/**
 * Ends a flow with its connection; the sealed state goes with it. Counted for metrics once, by
 * the write that ended it (a flow another instance already ended is not counted again).
 */
export async function completeFlowRow(
  em: Em,
  deps: CoreDeps,
  flow: Pick<ConnectFlow, 'id' | 'providerId'>,
  connectionId: string,
): Promise<void> {
  const ended = await em.nativeUpdate(
    ConnectFlow,
    { id: flow.id, step: { $ne: 'completed' } },
    { step: 'completed', connectionId, stateEnc: null, updatedAt: deps.clock.now() },
  );
  if (ended === 1) {
    telemetryOf(deps).connectFlowFinished({
      providerId: flow.providerId,
      outcome: 'completed',
      errorCode: null,
      durationMs: null,
    });
  }
}

/** Ends a flow for good; the sealed state goes with it. Counted like `completeFlowRow`. */
export async function markFailed(
  em: Em,
  deps: CoreDeps,
  flow: Pick<ConnectFlow, 'id' | 'providerId'>,
  code: ErrorCode,
): Promise<void> {
  const ended = await em.nativeUpdate(
    ConnectFlow,
    { id: flow.id, step: { $nin: [...CONNECT_FLOW_ENDS] } },
    { step: 'failed', errorCode: code, stateEnc: null, updatedAt: deps.clock.now() },
  );
  deps.logger.warn(
    { flowId: flow.id, providerId: flow.providerId, errorCode: code },
    'connect flow failed',
  );
  if (ended === 1) {
    telemetryOf(deps).connectFlowFinished({
      providerId: flow.providerId,
      outcome: 'failed',
      errorCode: code,
      durationMs: null,
    });
  }
}

/**
 * Counts one try before the provider sees it, by compare-and-swap on the row's version:
 * concurrent tries cannot share a count, and a try that errors for another reason still counts.
 * Returns the tries at this step so far, this one included.
 */
export async function claimTry(em: Em, deps: CoreDeps, flow: ConnectFlow): Promise<number> {
  const tries = flow.attempts + 1;
  const claimed = await em.nativeUpdate(
    ConnectFlow,
    { id: flow.id, version: flow.version, step: flow.step },
    { attempts: tries, version: flow.version + 1, updatedAt: deps.clock.now() },
  );
  if (claimed !== 1) {
    throw new PlugboardError(
      'FLOW_STEP_INVALID',
      'Another try for this sign-in is in progress. Wait for it, then try again.',
    );
  }
  return tries;
}
