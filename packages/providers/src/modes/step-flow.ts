import type { ErrorCode, ProviderId } from '@plugboard/contracts';
import type { Account } from '../types';
import type { Credentials, CredentialsType } from './types';

/**
 * A connect made of steps a person answers in a dialog (a phone code, then a password; or a QR
 * code scanned meanwhile), as opposed to a redirect (oauth2) or one form (api_key). The mode
 * defines what each step does with the provider; core's runner
 * (packages/core/src/services/connect-flows/) keeps the flow's state sealed between steps,
 * binds it to the browser session, enforces its expiry, the try limit per step and the budget of
 * flows per session, and creates the connection when a step says so. Step names and state are
 * the mode's; the runner only knows `completed` and `failed`.
 */

/** What a step tells its caller (the public procedure's output, minus the flow id). */
export type FlowReply = Record<string, unknown>;

/** Where a step leads. */
export type StepResult<S> =
  /** Moves on to another step, with new state; its tries start again from zero. */
  | { kind: 'next'; step: string; state: S; reply: FlowReply }
  /** Stays where it is (a QR code not scanned yet); the state is unchanged. */
  | { kind: 'stay'; reply: FlowReply }
  /** Done: the runner stores the connection and ends the flow. */
  | { kind: 'connect'; account: Account; credentials: Credentials };

/**
 * What a step's PlugboardError means for the flow: `wrong_answer` (a wrong code or password:
 * it was counted, and at the limit the flow fails with TOO_MANY_ATTEMPTS), `end` (the flow is
 * over with this error), `keep` (passing trouble: the flow stays as it is).
 */
export type StepErrorPolicy = 'wrong_answer' | 'end' | 'keep';

export interface FlowAction<S, I> {
  /**
   * A try a person makes (a code, a password): counted before the provider sees it, so no error
   * path makes guessing cheaper. Polls are not counted.
   */
  counted: boolean;
  run(state: S, input: I): Promise<StepResult<S>>;
  /** Without it every error is `keep`. */
  onError?(code: ErrorCode): StepErrorPolicy;
}

export interface FlowStep<S, A extends Record<string, unknown>> {
  /** What a person can answer at this step, by action name. */
  actions?: { [K in keyof A]?: FlowAction<S, A[K]> };
  /** Asked on every round of a watch while the step waits for something outside (a scan). */
  poll?: FlowAction<S, undefined>;
  /** What a watcher is told while the step waits for an answer from the person. */
  waiting?(state: S): FlowReply;
}

export interface FlowStart<S, I> {
  /** Whether a watch may follow a flow begun this way. */
  watchable: boolean;
  run(input: I): Promise<{ step: string; state: S; reply: FlowReply }>;
}

/**
 * A mode's multi-step connect. `S` is its state (JSON, sealed as a whole), `St` its ways to
 * begin (name → input), `A` its answers (name → input).
 */
export interface StepFlowDefinition<
  S,
  St extends Record<string, unknown> = Record<string, unknown>,
  A extends Record<string, unknown> = Record<string, unknown>,
> {
  mode: CredentialsType;
  providerId: ProviderId;
  /** The public flow id's prefix (the procedure's input schema checks it). */
  idPrefix: string;
  /** What a person calls this sign-in in messages ("Telegram"). */
  label: string;
  ttlSeconds: number;
  /** Counted tries per step before the flow fails. */
  maxTries: number;
  /** Flows one browser session may begin per hour (each may cost the person a message). */
  maxFlowsPerHour: number;
  /** How often a watch polls a step that has `poll`. */
  pollMs: number;
  starts: { [K in keyof St]: FlowStart<S, St[K]> };
  steps: Record<string, FlowStep<S, A>>;
}
