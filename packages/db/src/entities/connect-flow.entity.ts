import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The two steps every flow ends in; the others are named by its mode. */
export const CONNECT_FLOW_ENDS = ['completed', 'failed'] as const;

/**
 * One multi-step connect in progress (a sign-in made of steps a person answers, such as a phone
 * code then a password) for a Connect UI session, run by core's connect-flow runner
 * (packages/core/src/services/connect-flows/). Which steps exist and what the state holds is the
 * mode's (packages/providers/src/modes/step-flow.ts): the state is JSON sealed as one value with
 * AAD bound to this row, and cleared once the flow ends. `attempts` counts the tries at the
 * current step — the brute-force limit, since tRPC calls do not go through the per-route HTTP
 * rate limiter. `version` makes every counted try a compare-and-swap.
 */
export const ConnectFlow = defineEntity({
  name: 'ConnectFlow',
  tableName: 'connect_flows',
  properties: {
    id: p.string().primary().length(40),
    sessionId: p.string().length(40).index(),
    externalUserId: p.string().length(250),
    providerId: p.string().length(40),
    /** The auth mode whose steps these are. */
    mode: p.string().length(20),
    /** How the flow began, by the mode's name for it (a phone code, a QR login). */
    kind: p.string().length(20),
    /** The mode's step name, or `completed` / `failed`. */
    step: p.string().length(40),
    stateEnc: p.text().nullable(),
    attempts: p.integer().default(0),
    errorCode: p.string().length(40).nullable(),
    connectionId: p.string().length(40).nullable(),
    version: p.integer().default(1),
    /** Indexed for the retention purge. */
    expiresAt: p.datetime().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ConnectFlow = InferEntity<typeof ConnectFlow>;
